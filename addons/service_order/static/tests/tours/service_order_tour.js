import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_order_create_tour", {
    steps: () => [
        {
            content: "Switch to the list of orders",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Create a new service order",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Pick the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Customer",
        },
        {
            content: "Choose it in the dropdown",
            trigger: ".o-autocomplete--dropdown-menu li a:contains('Tour Customer Ltd')",
            run: "click",
        },
        {
            content: "Enter the sold hours",
            trigger: ".o_field_widget[name=sold_hours] input",
            run: "edit 03:30",
        },
        {
            content: "Save the order",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Schedule it",
            trigger: ".o_form_saved button[name=action_schedule]",
            run: "click",
        },
        {
            content: "The status bar shows it scheduled",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Scheduled')",
        },
    ],
});
