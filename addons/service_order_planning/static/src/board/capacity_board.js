import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

const { DateTime } = luxon;

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

/**
 * Capacity & Free Slots: employees as rows, days as columns. Each cell shows the capacity, booked
 * and free hours of the day; its free gaps are buttons that open a new assignment for that
 * employee and time. The numbers come from service.assignment.get_capacity_board.
 */
export class CapacityBoard extends Component {
    static template = "service_order_planning.CapacityBoard";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.periods = PERIODS;
        this.statusLabels = STATUS_LABELS;
        this.state = useState({
            period: "week",
            anchor: DateTime.local().startOf("week"),
            departmentId: "",
            board: { days: [], employees: [] },
            loading: true,
        });
        onWillStart(() => this.load());
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
        return this.state.board.employees.filter(
            (row) => !departmentId || (row.department && String(row.department[0]) === departmentId)
        );
    }

    async load() {
        const [first, last] = this.range;
        this.state.loading = true;
        this.state.board = await this.orm.call("service.assignment", "get_capacity_board", [
            first.toISODate(),
            last.toISODate(),
        ]);
        this.state.loading = false;
    }

    formatHours(hours) {
        const minutes = Math.round(hours * 60);
        return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
    }

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

    onDepartmentChange(ev) {
        this.state.departmentId = ev.target.value;
    }

    async bookSlot(row, slot) {
        await this.action.doAction(
            {
                type: "ir.actions.act_window",
                name: _t("New Assignment"),
                res_model: "service.assignment",
                views: [[false, "form"]],
                target: "new",
                context: {
                    default_employee_id: row.id,
                    default_date_start: slot.start,
                    default_date_end: slot.end,
                },
            },
            { onClose: () => this.load() }
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
}

registry.category("actions").add("service_order_planning.capacity_board", CapacityBoard);
