import { browser } from "@web/core/browser/browser";

/**
 * The clock events of this device that the server has not confirmed yet, kept in localStorage so
 * that they survive a reload and a lost network. Each event carries the moment it happened and a
 * key made here: the server applies a key once, so sending an event twice is harmless.
 */
export class ClockQueue {
    constructor(userId) {
        this.storageKey = `service_timeclock.queue.${userId}`;
    }

    get events() {
        try {
            return JSON.parse(browser.localStorage.getItem(this.storageKey)) || [];
        } catch {
            return [];
        }
    }

    save(events) {
        browser.localStorage.setItem(this.storageKey, JSON.stringify(events));
    }

    push(event) {
        this.save([...this.events, { ...event, status: "pending", message: "" }]);
    }

    pending() {
        return this.events.filter((event) => event.status === "pending");
    }

    /** Apply the server's answers: confirmed events leave the queue, refused ones stay, shown. */
    settle(answers) {
        const byKey = Object.fromEntries(answers.map((answer) => [answer.key, answer]));
        const events = [];
        for (const event of this.events) {
            const answer = byKey[event.key];
            if (!answer) {
                events.push(event);
            } else if (answer.status === "refused") {
                events.push({ ...event, status: "refused", message: answer.message });
            }
        }
        this.save(events);
    }

    discard(key) {
        this.save(this.events.filter((event) => event.key !== key));
    }
}
