import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_kpi_export_tour", {
    steps: () => [
        {
            content: "Open the Reporting menu of the Service app",
            trigger: ".o_main_navbar .o_menu_sections button:contains(Reporting)",
            run: "click",
        },
        {
            content: "Choose Export KPIs",
            trigger: ".o-dropdown--menu .dropdown-item:contains(Export KPIs)",
            run: "click",
        },
        {
            content: "The dialog asks for the period",
            trigger: ".modal:contains(Export KPIs) .o_field_widget[name=date_from]",
        },
        {
            content: "The periods of the Over Time sheet can be chosen",
            trigger: ".modal .o_field_widget[name=period]",
        },
        {
            content: "Add a sheet per customer",
            trigger: ".modal .o_field_widget[name=by_partner] input",
            run: "click",
        },
        {
            content: "Export",
            trigger: ".modal-footer button[name=action_export]",
            run: "click",
        },
        {
            content: "The dialog stays open, without an error, for another export",
            trigger: ".modal .o_field_widget[name=by_partner] input:checked",
        },
        {
            content: "No error dialog",
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
