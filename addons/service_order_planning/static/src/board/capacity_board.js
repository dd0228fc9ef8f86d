import { Component, onWillStart, useState } from "@odoo/owl";
import { deserializeDateTime, serializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloatTime } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const { DateTime, Settings } = luxon;

const PERIODS = {
    week: { label: _t("Week"), step: { weeks: 1 } },
    two_weeks: { label: _t("Two Weeks"), step: { weeks: 2 } },
    month: { label: _t("Month"), step: { months: 1 } },
};

const STATUS_LABELS = {
    off: _t("Not working"),
    free: _t("Free"),
    partial: _t("Partly booked"),
    full: _t("Full"),
    overbooked: _t("Overbooked"),
};

const JOB_STATE_LABELS = {
    planned: _t("Planned"),
    confirmed: _t("Confirmed"),
    done: _t("Done"),
};

const SLA_LABELS = {
    on_track: _t("On Track"),
    at_risk: _t("At Risk"),
    breached: _t("Breached"),
};

// Bookings made on the board start on a quarter of an hour.
const STEP_MINUTES = 15;

/**
 * The dispatch board: field staff as rows, days as columns. Each cell shows the day's capacity,
 * booked and free hours, the booked jobs and the free gaps. Unplanned orders are listed beside
 * it: drop one on a free gap to book it, drag a job elsewhere to move it, or let auto-plan
 * propose bookings for a selection. On a phone it becomes a per-person list of one day.
 * Times are shown in the web client's time zone, as the forms show them.
 */
export class CapacityBoard extends Component {
    static template = "service_order_planning.CapacityBoard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.ui = useService("ui");
        this.periods = PERIODS;
        this.statusLabels = STATUS_LABELS;
        this.jobStateLabels = JOB_STATE_LABELS;
        this.slaLabels = SLA_LABELS;
        this.zone = Settings.defaultZone.name;
        this.dragged = null;
        this.state = useState({
            period: "week",
            anchor: DateTime.local().startOf("week"),
            departmentId: "",
            skillId: 0,
            board: { days: [], employees: [], skills: [], can_plan: false },
            loading: true,
            dayIndex: 0,
            orders: [],
            orderCount: 0,
            search: "",
            slaStatus: "",
            tagId: "",
            partner: null,
            tags: [],
            selected: {},
            plan: null,
            busy: false,
        });
        onWillStart(async () => {
            await this.load();
        });
    }

    get isSmall() {
        return this.ui.isSmall;
    }

    get range() {
        const { period, anchor } = this.state;
        if (period === "month") {
            const first = anchor.startOf("month");
            return [first, first.endOf("month").startOf("day")];
        }
        const days = period === "week" ? 7 : 14;
        return [anchor, anchor.plus({ days: days - 1 })];
    }

    get title() {
        const [first, last] = this.range;
        return `${first.toLocaleString(DateTime.DATE_MED)} – ${last.toLocaleString(DateTime.DATE_MED)}`;
    }

    get days() {
        return this.state.board.days.map((day) => {
            const date = DateTime.fromISO(day);
            return {
                key: day,
                weekday: date.toFormat("ccc"),
                label: date.toFormat("d LLL"),
                isToday: date.hasSame(DateTime.local(), "day"),
                isWeekend: date.weekday > 5,
            };
        });
    }

    get currentDay() {
        return this.days[this.state.dayIndex] || this.days[0];
    }

    get departments() {
        const seen = new Map();
        for (const row of this.state.board.employees) {
            if (row.department) {
                seen.set(String(row.department[0]), row.department[1]);
            }
        }
        return [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1]));
    }

    get rows() {
        const departmentId = this.state.departmentId;
        const skillId = this.state.skillId;
        return this.state.board.employees.filter(
            (row) =>
                (!departmentId || (row.department && String(row.department[0]) === departmentId)) &&
                (!skillId || row.skill_ids.includes(skillId))
        );
    }

    get canPlan() {
        return this.state.board.can_plan;
    }

    get selectedIds() {
        return this.state.orders.filter((order) => this.state.selected[order.id]).map((o) => o.id);
    }

    // ------------------------------------------------------------------ loading
    async load() {
        const [first, last] = this.range;
        this.state.loading = true;
        const board = await this.orm.call("service.assignment", "get_capacity_board", [
            first.toISODate(),
            last.toISODate(),
        ]);
        this.state.board = board;
        const today = board.days.indexOf(DateTime.local().toISODate());
        this.state.dayIndex = Math.max(today, 0);
        this.state.loading = false;
        if (board.can_plan && !this.isSmall) {
            await this.loadOrders();
        }
    }

    async loadOrders() {
        if (!this.state.tags.length) {
            this.state.tags = await this.orm.searchRead("service.order.tag", [], ["name"]);
        }
        const result = await this.orm.call("service.order", "get_board_orders", [], {
            search: this.state.search,
            tag_ids: this.state.tagId ? [Number(this.state.tagId)] : null,
            partner_ids: this.state.partner ? [this.state.partner.id] : null,
            sla_statuses: this.state.slaStatus ? [this.state.slaStatus] : null,
        });
        this.state.orders = result.orders;
        this.state.orderCount = result.count;
    }

    async reload() {
        const dayIndex = this.state.dayIndex;
        await this.load();
        this.state.dayIndex = Math.min(dayIndex, Math.max(this.days.length - 1, 0));
    }

    // ------------------------------------------------------------------ formatting
    formatHours(hours) {
        return formatFloatTime(hours);
    }

    localTime(value) {
        return deserializeDateTime(value).toFormat("HH:mm");
    }

    localDateTime(value) {
        return deserializeDateTime(value).toFormat("d LLL HH:mm");
    }

    jobLabel(job) {
        return `${this.localTime(job.start)}-${this.localTime(job.end)}`;
    }

    slotLabel(slot) {
        return `${this.localTime(slot.start)}-${this.localTime(slot.end)}`;
    }

    jobTitle(job) {
        const parts = [job.name, job.customer, job.city, this.jobLabel(job), this.jobStateLabels[job.state]];
        if (job.outside_hours) {
            parts.push(_t("Outside working hours or on time off"));
        }
        if (job.overbooked) {
            parts.push(_t("The order is overbooked"));
        }
        return parts.filter(Boolean).join(" · ");
    }

    /** The first moment of ``slot`` that can still be booked, or null when it is past. */
    bookableStart(slot) {
        const now = DateTime.utc();
        const start = deserializeDateTime(slot.start).toUTC();
        const end = deserializeDateTime(slot.end).toUTC();
        if (end <= now) {
            return null;
        }
        if (start >= now) {
            return start;
        }
        const minutes = Math.ceil((now.minute + now.second / 60) / STEP_MINUTES) * STEP_MINUTES;
        const rounded = now.startOf("hour").plus({ minutes });
        return rounded < end ? rounded : null;
    }

    isPast(slot) {
        return !this.bookableStart(slot);
    }

    // ------------------------------------------------------------------ navigation
    async setPeriod(period) {
        this.state.period = period;
        if (period === "month") {
            this.state.anchor = this.state.anchor.startOf("month");
        } else {
            this.state.anchor = this.state.anchor.startOf("week");
        }
        await this.load();
    }

    async move(direction) {
        const step = PERIODS[this.state.period].step;
        this.state.anchor =
            direction > 0 ? this.state.anchor.plus(step) : this.state.anchor.minus(step);
        await this.load();
    }

    async today() {
        const now = DateTime.local();
        this.state.anchor = this.state.period === "month" ? now.startOf("month") : now.startOf("week");
        await this.load();
    }

    async moveDay(direction) {
        const index = this.state.dayIndex + direction;
        if (index >= 0 && index < this.days.length) {
            this.state.dayIndex = index;
        } else {
            this.state.anchor = this.state.anchor.plus({ days: direction * 7 }).startOf("week");
            await this.load();
            this.state.dayIndex = direction > 0 ? 0 : this.days.length - 1;
        }
    }

    onDepartmentChange(ev) {
        this.state.departmentId = ev.target.value;
    }

    onSkillChange(ev) {
        this.state.skillId = Number(ev.target.value) || 0;
    }

    // ------------------------------------------------------------------ side panel
    async onSearch(ev) {
        this.state.search = ev.target.value;
        await this.loadOrders();
    }

    async onSlaChange(ev) {
        this.state.slaStatus = ev.target.value;
        await this.loadOrders();
    }

    async onTagChange(ev) {
        this.state.tagId = ev.target.value;
        await this.loadOrders();
    }

    async filterCustomer(order) {
        this.state.partner = { id: order.partner_id, name: order.customer };
        await this.loadOrders();
    }

    async clearCustomer() {
        this.state.partner = null;
        await this.loadOrders();
    }

    toggleOrder(order) {
        this.state.selected[order.id] = !this.state.selected[order.id];
    }

    // ------------------------------------------------------------------ opening and booking
    async openJob(job) {
        await this.action.doAction(
            {
                type: "ir.actions.act_window",
                res_model: "service.assignment",
                res_id: job.id,
                views: [[false, "form"]],
                target: "new",
            },
            { onClose: () => this.reload() }
        );
    }

    async bookSlot(row, slot) {
        const start = this.bookableStart(slot);
        if (!start || !this.canPlan) {
            return;
        }
        await this.action.doAction(
            {
                type: "ir.actions.act_window",
                name: _t("New Assignment"),
                res_model: "service.assignment",
                views: [[false, "form"]],
                target: "new",
                context: {
                    default_employee_id: row.id,
                    // In UTC, as the web client reads the defaults of datetime fields.
                    default_date_start: serializeDateTime(start),
                    default_date_end: slot.end,
                    default_state: "confirmed",
                },
            },
            { onClose: () => this.reload() }
        );
    }

    async openAssignments(row, cell) {
        await this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Assignments of %(employee)s", { employee: row.name }),
            res_model: "service.assignment",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [
                ["employee_id", "=", row.id],
                ["state", "!=", "cancelled"],
                ["date_start", "<", DateTime.fromISO(cell.date).plus({ days: 2 }).toISODate()],
                ["date_end", ">", DateTime.fromISO(cell.date).minus({ days: 1 }).toISODate()],
            ],
        });
    }

    // ------------------------------------------------------------------ drag and drop
    onDragStart(ev, kind, id) {
        this.dragged = { kind, id };
        if (ev.dataTransfer) {
            ev.dataTransfer.effectAllowed = "move";
            ev.dataTransfer.setData("text/plain", `${kind}:${id}`);
        }
    }

    onDragEnd() {
        this.dragged = null;
    }

    onDragOver(ev, slot) {
        if (this.dragged && (!slot || !this.isPast(slot))) {
            ev.preventDefault();
        }
    }

    async onDropSlot(ev, row, slot) {
        ev.preventDefault();
        ev.stopPropagation();
        const start = this.bookableStart(slot);
        if (start) {
            await this.dropAt(row, start);
        }
    }

    async onDropCell(ev, row, cell) {
        ev.preventDefault();
        if (!this.dragged) {
            return;
        }
        const slot = cell.slots.find((candidate) => !this.isPast(candidate));
        if (!slot) {
            this.dragged = null;
            this.notification.add(_t("%(employee)s has no free time left that day.", { employee: row.name }), {
                type: "warning",
            });
            return;
        }
        await this.dropAt(row, this.bookableStart(slot));
    }

    async dropAt(row, start) {
        const dragged = this.dragged;
        this.dragged = null;
        if (!dragged) {
            return;
        }
        const when = serializeDateTime(start);
        await this.run(async () => {
            if (dragged.kind === "order") {
                await this.orm.call("service.assignment", "action_board_book", [dragged.id, row.id, when]);
            } else {
                await this.orm.call("service.assignment", "action_board_move", [[dragged.id], row.id, when]);
            }
        });
    }

    /** Run a server action; a refusal shows its message and leaves the board as it was. */
    async run(callback) {
        this.state.busy = true;
        try {
            await callback();
        } catch (error) {
            const message = error?.data?.message;
            if (!message) {
                throw error;
            }
            this.notification.add(message, { type: "danger", title: _t("Not booked") });
            return false;
        } finally {
            this.state.busy = false;
        }
        await this.reload();
        return true;
    }

    // ------------------------------------------------------------------ auto-plan
    async autoPlan() {
        const [first, last] = this.range;
        const ids = this.selectedIds;
        if (!ids.length) {
            return;
        }
        const today = DateTime.local().startOf("day");
        const plan = await this.orm.call("service.assignment", "get_auto_plan", [
            ids,
            (first < today ? today : first).toISODate(),
            last < today ? today.toISODate() : last.toISODate(),
        ]);
        for (const proposal of plan.proposals) {
            proposal.accepted = true;
        }
        this.state.plan = plan;
    }

    toggleProposal(proposal) {
        proposal.accepted = !proposal.accepted;
    }

    discardPlan() {
        this.state.plan = null;
    }

    async acceptPlan() {
        const accepted = this.state.plan.proposals.filter((proposal) => proposal.accepted);
        if (!accepted.length) {
            this.state.plan = null;
            return;
        }
        const done = await this.run(() =>
            this.orm.call("service.assignment", "action_auto_plan_accept", [
                accepted.map(({ order_id, employee_id, start, end }) => ({
                    order_id,
                    employee_id,
                    start,
                    end,
                })),
            ])
        );
        if (done) {
            this.state.plan = null;
            this.state.selected = {};
        }
    }
}

registry.category("actions").add("service_order_planning.capacity_board", CapacityBoard);
