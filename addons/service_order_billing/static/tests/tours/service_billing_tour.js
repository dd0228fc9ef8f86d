import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("service_billing_accountant_tour", {
    steps: () => [
        {
            content: "The order has hours to invoice",
            trigger: ".o_form_view .o_field_widget[name=invoice_status] :contains(To Invoice)",
        },
        {
            content: "Invoice the service order",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_create_invoice]",
            run: "click",
        },
        {
            content: "The draft invoice bills the visit",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] td:contains(Ada Fixer 2.00 h)",
        },
        {
            content: "Confirm the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]:contains(Confirm)",
            run: "click",
        },
        {
            content: "The invoice is posted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Posted)",
        },
        {
            content: "Send it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_invoice_sent]",
            run: "click",
        },
        {
            content: "Odoo's send wizard, with the service report attached",
            trigger: ".modal .o_field_widget[name=mail_attachments_widget]:contains(Service Report)",
        },
        {
            content: "Send the invoice",
            trigger: ".modal .modal-footer button[name=action_send_and_print]",
            run: "click",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
