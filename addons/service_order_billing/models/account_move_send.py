from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_invoice_extra_attachments(self, move):
        """The service reports of the orders an invoice bills go with it (those saved when the
        orders were completed), as far as the sender may read them: attachments follow the
        access to their order."""
        attachments = super()._get_invoice_extra_attachments(move)
        orders = move.invoice_line_ids.service_order_id._filtered_access("read")
        if not orders:
            return attachments
        names = [f"Service Report - {order.name}.pdf" for order in orders]
        reports = self.env["ir.attachment"].search(
            [("res_model", "=", "service.order"), ("res_id", "in", orders.ids), ("name", "in", names)]
        )
        return attachments | reports
