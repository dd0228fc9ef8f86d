import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_kpi_overview_tour", {
    steps: () => [
        {
            content: "The overview says when the capacity was refreshed",
            trigger: ".o_service_kpi_overview .o_service_kpi_refreshed:contains(Capacity refreshed on)",
        },
        {
            content: "Margin is shown to a manager",
            trigger: ".o_service_kpi_card[data-figure=margin] .o_service_kpi_value",
        },
        {
            content: "Nothing was worked last month: no revenue per hour, rather than a zero",
            trigger: ".o_service_kpi_card[data-figure=revenue_per_hour] .o_service_kpi_previous:contains(–)",
        },
        {
            content: "This month's utilization has a value and a trend line",
            trigger:
                ".o_service_kpi_card[data-figure=utilization]:has(.o_service_kpi_value:not(:contains(–))):has(svg polyline)",
        },
        {
            content: "Open the pivot behind the utilization",
            trigger: ".o_service_kpi_card[data-figure=utilization]",
            run: "click",
        },
        {
            content: "The pivot shows the utilization per employee",
            trigger: ".o_pivot .o_pivot_measure_row:contains(Utilization)",
        },
        {
            content: "Ada's row is there",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains(Ada Fixer)",
        },
    ],
});
