from odoo import fields, models
from odoo.exceptions import AccessError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Copied by reversals: a credit note line knows the order whose hours it gives back.
    service_order_id = fields.Many2one(
        "service.order", index="btree_not_null", readonly=True, ondelete="restrict", check_company=True
    )
    service_attendance_ids = fields.One2many(
        "service.attendance", "invoice_line_id", string="Billed Time Records", readonly=True
    )

    def write(self, vals):
        # Set when the invoice is made from the service order; linking another order by hand would
        # send that order's service report with this invoice.
        if "service_order_id" in vals and not self.env.su:
            raise AccessError(self.env._("The service order of an invoice line is set when it is invoiced."))
        return super().write(vals)
