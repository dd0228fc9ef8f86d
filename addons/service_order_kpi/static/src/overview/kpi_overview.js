import { Component, onWillStart, useState } from "@odoo/owl";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

// The sparkline's drawing box, in SVG units.
const WIDTH = 120;
const HEIGHT = 32;

/**
 * The KPI overview: each headline figure of this month against last month, with its trend over
 * the last months as a small line. Clicking a figure opens the KPI pivot behind it, on this
 * month, with that measure.
 */
export class KpiOverview extends Component {
    static template = "service_order_kpi.KpiOverview";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        onWillStart(async () => {
            this.state.data = await this.orm.call("service.kpi.report", "get_overview_data", []);
        });
    }

    get cards() {
        const data = this.state.data;
        const count = data.months.length;
        return data.figures.map((figure) => {
            // The server says "no figure" with false, as Odoo's reads do: not a zero.
            const values = figure.values.map((value) => (value === false ? null : value));
            const current = values[count - 1];
            const previous = values[count - 2];
            const change = current !== null && previous !== null ? current - previous : null;
            // A lower cost per hour is good news: the colour says whether the change is good.
            const better = figure.higher_is_better ? change > 0 : change < 0;
            return {
                ...figure,
                changeClass: !change ? "text-muted" : better ? "text-success" : "text-danger",
                current: this.format(current, figure.unit),
                previous: this.format(previous, figure.unit),
                change,
                changeLabel: change === null ? "" : `${change >= 0 ? "+" : ""}${this.format(change, figure.unit)}`,
                points: this.points(values),
            };
        });
    }

    get refreshedAt() {
        const value = this.state.data.refreshed_at;
        return value ? formatDateTime(deserializeDateTime(value)) : "";
    }

    format(value, unit) {
        if (value === null || value === undefined) {
            return "–";
        }
        const number = formatFloat(value, { digits: [false, unit === "%" ? 1 : 2] });
        if (unit === "%") {
            return `${number} %`;
        }
        const { symbol, position } = this.state.data.currency;
        return position === "before" ? `${symbol} ${number}` : `${number} ${symbol}`;
    }

    /** The polyline points of a sparkline through ``values`` (months without a value are skipped). */
    points(values) {
        const known = values.filter((value) => value !== null);
        if (!known.length) {
            return "";
        }
        const low = Math.min(...known);
        const high = Math.max(...known);
        const span = high - low || 1;
        const step = values.length > 1 ? WIDTH / (values.length - 1) : 0;
        return values
            .map((value, index) =>
                value === null
                    ? null
                    : `${(index * step).toFixed(1)},${(HEIGHT - 2 - ((value - low) / span) * (HEIGHT - 4)).toFixed(1)}`
            )
            .filter(Boolean)
            .join(" ");
    }

    openFigure(figure, monthIndex = null) {
        const months = this.state.data.months;
        const month = months[monthIndex === null ? months.length - 1 : monthIndex];
        this.action.doAction({
            type: "ir.actions.act_window",
            name: `${figure.label} (${month.label})`,
            res_model: "service.kpi.report",
            views: [
                [false, "pivot"],
                [false, "graph"],
                [false, "list"],
            ],
            domain: [
                ["date", ">=", month.date_from],
                ["date", "<", month.date_to],
            ],
            context: {
                pivot_measures: [figure.name],
                pivot_row_groupby: ["employee_id"],
                graph_measure: figure.name,
            },
        });
    }
}

registry.category("actions").add("service_order_kpi.overview", KpiOverview);
