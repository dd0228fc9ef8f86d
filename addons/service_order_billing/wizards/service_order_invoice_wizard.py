from odoo import api, fields, models


class ServiceOrderInvoiceWizard(models.TransientModel):
    _name = "service.order.invoice.wizard"
    _description = "Invoice Service Orders"

    service_order_ids = fields.Many2many("service.order", string="Service Orders", required=True)
    date_until = fields.Date(
        string="Invoice Up To", help="Only the time recorded until this date (included) is invoiced."
    )
    grouping = fields.Selection(
        [("order", "One invoice per order"), ("customer", "One invoice per customer")],
        default="order",
        required=True,
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "service.order" and "service_order_ids" in fields_list:
            values["service_order_ids"] = [fields.Command.set(self.env.context.get("active_ids") or [])]
        return values

    def action_create_invoices(self):
        self.ensure_one()
        return self.service_order_ids.action_create_invoice(
            grouped=self.grouping == "order", date_until=self.date_until
        )
