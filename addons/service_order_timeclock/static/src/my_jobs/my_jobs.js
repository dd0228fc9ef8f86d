import { Component, markup, onWillStart, onWillUnmount, useExternalListener, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { ConnectionLostError, rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { uuid } from "@web/core/utils/strings";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { ClockQueue } from "./clock_queue";

const { DateTime } = luxon;

const ACTION_LABELS = {
    travel: _t("On my way"),
    arrive: _t("Arrive"),
    clock_out: _t("Clock out"),
};
// What each clock action leaves running on the job.
const CLOCK_AFTER = { travel: "travel", arrive: "work", clock_out: "idle" };
const RETRY_MS = 30000;
const POSITION_TIMEOUT_MS = 5000;
// Photos wait in the browser's storage until they are sent: a phone's picture is made smaller
// first, so that a few of them fit.
const PHOTO_MAX_SIDE = 1600;
const PHOTO_QUALITY = 0.8;

function serverTime(dateTime) {
    return dateTime.toUTC().toFormat("yyyy-MM-dd HH:mm:ss");
}

function fromServer(value) {
    return value ? DateTime.fromSQL(value, { zone: "utc" }).toLocal() : null;
}

/** The phone's position if the user allows it and it comes in time; never blocks clocking. */
function currentPosition() {
    return new Promise((resolve) => {
        if (!navigator.geolocation) {
            resolve({});
            return;
        }
        navigator.geolocation.getCurrentPosition(
            ({ coords }) => resolve({ latitude: coords.latitude, longitude: coords.longitude }),
            () => resolve({}),
            { enableHighAccuracy: true, timeout: POSITION_TIMEOUT_MS, maximumAge: 60000 }
        );
    });
}

/** The picture as base64 JPEG, at most PHOTO_MAX_SIDE pixels on its longest side. */
async function shrinkPhoto(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL("image/jpeg", PHOTO_QUALITY).split(",")[1];
}

/**
 * My Jobs: the technician's visits of today and the coming days, with big buttons to clock
 * travel and work. Every clock event goes through a queue on the device and the server's replay
 * endpoint, online or not: a lost network only delays it.
 */
export class MyJobs extends Component {
    static template = "service_order_timeclock.MyJobs";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.queue = new ClockQueue(user.userId);
        this.actionLabels = ACTION_LABELS;
        // Scope and notes are the order's HTML fields, sanitized by the server.
        this.markup = markup;
        this.state = useState({
            jobs: [],
            loading: true,
            offline: false,
            syncing: false,
            queued: this.queue.events,
            now: DateTime.now(),
        });
        onWillStart(async () => {
            await this.load();
            await this.sync();
        });
        const ticker = setInterval(() => (this.state.now = DateTime.now()), 1000);
        const retry = setInterval(() => this.sync(), RETRY_MS);
        onWillUnmount(() => {
            clearInterval(ticker);
            clearInterval(retry);
        });
        useExternalListener(window, "online", () => this.sync());
    }

    async load() {
        try {
            this.state.jobs = await this.orm.call("service.assignment", "get_my_jobs", []);
            this.state.offline = false;
        } catch (error) {
            if (!(error instanceof ConnectionLostError)) {
                throw error;
            }
            this.state.offline = true;
        }
        this.applyQueued();
        this.state.loading = false;
    }

    /** Show the jobs as the queued events will leave them. */
    applyQueued() {
        for (const event of this.queue.pending()) {
            const job = this.state.jobs.find((job) => job.id === event.assignment_id);
            if (!job) {
                continue;
            }
            if (event.action === "tick") {
                const item = job.checklist.find((item) => item.id === event.item_id);
                if (item) {
                    item.done = event.done;
                }
            } else if (event.action === "photo") {
                job.photo_count += 1;
            } else {
                job.clock_state = CLOCK_AFTER[event.action];
                job.clock_since = event.action === "clock_out" ? false : event.at;
            }
        }
        this.state.queued = this.queue.events;
    }

    /** Keep the event on the phone, then try to send everything that waits. */
    async record(job, action, values) {
        try {
            this.queue.push({
                key: uuid(),
                assignment_id: job.id,
                action,
                at: serverTime(DateTime.now()),
                ...values,
            });
        } catch {
            // The browser's storage is full (photos): nothing is lost, nothing is recorded.
            this.notification.add(_t("The phone's storage is full: send what waits before adding more."), {
                type: "danger",
            });
            return;
        }
        this.applyQueued();
        await this.sync();
    }

    async clock(job, action) {
        await this.record(job, action, await currentPosition());
    }

    async tick(job, item) {
        await this.record(job, "tick", { item_id: item.id, done: !item.done });
    }

    async addPhoto(job, ev) {
        const [file] = ev.target.files;
        ev.target.value = "";
        if (file) {
            await this.record(job, "photo", { data: await shrinkPhoto(file), name: file.name });
        }
    }

    /** Send the queued events; events queued while a batch is on its way go in the next one. */
    async sync() {
        if (this.state.syncing) {
            this.syncAgain = true;
            return;
        }
        this.state.syncing = true;
        try {
            do {
                this.syncAgain = false;
                const pending = this.queue.pending();
                if (!pending.length) {
                    break;
                }
                await this.send(pending);
            } while (this.syncAgain && !this.state.offline);
        } finally {
            this.state.syncing = false;
            this.state.queued = this.queue.events;
        }
    }

    async send(pending) {
        const events = pending.map(({ status, message, ...event }) => event);
        let answers;
        try {
            answers = await rpc("/service/timeclock/sync", { events });
        } catch (error) {
            if (!(error instanceof ConnectionLostError)) {
                throw error;
            }
            this.state.offline = true;
            return;
        }
        this.queue.settle(answers);
        const refused = answers.filter((answer) => answer.status === "refused");
        if (refused.length) {
            this.notification.add(refused.map((answer) => answer.message).join("\n"), {
                title: _t("Not recorded"),
                type: "danger",
            });
        }
        this.state.offline = false;
        await this.load();
    }

    discard(event) {
        this.queue.discard(event.key);
        this.state.queued = this.queue.events;
        this.load();
    }

    async finish(job) {
        await this.sync();
        if (this.queue.pending().length) {
            this.notification.add(_t("Finish the job once your clock events are sent."), {
                type: "warning",
            });
            return;
        }
        await this.orm.call("service.assignment", "action_finish", [[job.id]]);
        this.notification.add(_t("%s is done.", job.order_name), { type: "success" });
        await this.load();
    }

    openOrder(job) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "service.order",
            res_id: job.order_id,
            views: [[false, "form"]],
        });
    }

    actionsFor(job) {
        if (job.clock_state === "work") {
            return ["clock_out"];
        }
        if (job.clock_state === "travel") {
            return ["arrive"];
        }
        return ["travel", "arrive"];
    }

    when(job) {
        const start = fromServer(job.date_start);
        const end = fromServer(job.date_end);
        const day = start.hasSame(this.state.now, "day")
            ? _t("Today")
            : start.toLocaleString({ weekday: "short", day: "numeric", month: "short" });
        return `${day} ${start.toFormat("HH:mm")}–${end.toFormat("HH:mm")}`;
    }

    elapsed(job) {
        const since = fromServer(job.clock_since);
        if (!since) {
            return "";
        }
        const seconds = Math.max(0, Math.floor(this.state.now.diff(since, "seconds").seconds));
        const pad = (value) => String(value).padStart(2, "0");
        return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
    }

    eventLabel(event) {
        const job = this.state.jobs.find((job) => job.id === event.assignment_id);
        const at = fromServer(event.at).toFormat("HH:mm:ss");
        let what = ACTION_LABELS[event.action];
        if (event.action === "tick") {
            const item = job && job.checklist.find((item) => item.id === event.item_id);
            what = `${event.done ? _t("Tick") : _t("Untick")} ${item ? item.name : ""}`;
        } else if (event.action === "photo") {
            what = _t("Photo %s", event.name || "");
        }
        return `${what} · ${job ? job.order_name : "#" + event.assignment_id} · ${at}`;
    }
}

registry.category("actions").add("service_order_timeclock.my_jobs", MyJobs);
