import { registry } from "@web/core/registry";
import { reviseAndConfirmSteps } from "@service_order_sale/../tests/tours/salesperson_tour";

registry.category("web_tour.tours").add("service_order_sale_crm_salesperson_tour", {
    steps: () => [
        {
            content: "The lead is qualified: need, site and window are known",
            trigger: ".o_form_view .ribbon:contains('Qualified')",
        },
        {
            content: "Convert it to an opportunity",
            trigger: ".o_form_view .o_form_statusbar button:contains('Convert to Opportunity')",
            run: "click",
        },
        {
            content: "Create the customer and convert",
            trigger: ".modal .modal-footer button[name=action_apply]",
            run: "click",
        },
        {
            content: "Quote the opportunity",
            trigger: ".o_form_view button[name=action_sale_quotations_new]",
            run: "click",
        },
        {
            content: "The quotation took over the customer's need as its scope",
            trigger: ".o_form_view.o_sale_order .o_notebook a[name=service]",
            run: "click",
        },
        {
            content: "The scope is the lead's need",
            trigger: ".o_field_widget[name=service_scope]:contains('The boiler is broken.')",
        },
        {
            content: "Back to the order lines",
            trigger: ".o_form_view.o_sale_order .o_notebook a[name=order_lines]",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: ".o_field_widget[name=order_line] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Choose the service",
            trigger: ".o_field_widget[name=order_line] .o_selected_row .o_field_widget[name=product_template_id] input",
            run: "edit Tour Service Hour",
        },
        {
            content: "Pick it in the dropdown",
            trigger: ".o-autocomplete--dropdown-menu li a:contains('Tour Service Hour')",
            run: "click",
        },
        {
            content: "The product is on the line (its onchange came back)",
            trigger:
                ".o_field_widget[name=order_line] .o_selected_row .o_field_widget[name=product_template_id] input:value(Tour Service Hour)",
        },
        {
            content: "Sell three hours",
            trigger: ".o_field_widget[name=order_line] .o_selected_row .o_field_widget[name=product_uom_qty] input",
            run: "edit 3",
        },
        {
            content: "Save the quotation",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        ...reviseAndConfirmSteps(),
    ],
});
