import { registry } from "@web/core/registry";

/** From a saved quotation: revise it, then confirm the revision, which creates the service order. */
export function reviseAndConfirmSteps() {
    return [
        {
            content: "The customer wants changes: revise it",
            trigger: ".o_form_saved .o_form_statusbar button[name=action_revise]",
            run: "click",
        },
        {
            content: "Confirm the revision",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The new revision is open",
            trigger: ".o_form_view .o_field_widget[name=name]:contains('-R1')",
        },
        {
            content: "The customer accepts: confirm it",
            trigger: ".o_form_view .o_form_statusbar button[name=action_confirm]:enabled",
            run: "click",
        },
        {
            content: "The service order was created",
            trigger: ".o_form_view button[name=action_view_service_orders]:contains('Service Orders')",
        },
    ];
}

registry.category("web_tour.tours").add("service_order_sale_salesperson_tour", {
    steps: () => [
        {
            content: "The quotation's Service tab holds the scope",
            trigger: ".o_form_view.o_sale_order .o_notebook a[name=service]",
            run: "click",
        },
        {
            content: "The scope of work is shown",
            trigger: ".o_field_widget[name=service_scope]:contains('Replace the pump.')",
        },
        ...reviseAndConfirmSteps(),
    ],
});
