from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Copied by reversals: a credit note line knows the order whose hours it gives back.
    service_order_id = fields.Many2one(
        "service.order", index="btree_not_null", readonly=True, ondelete="restrict"
    )
    service_attendance_ids = fields.One2many(
        "service.attendance", "invoice_line_id", string="Billed Time Records", readonly=True
    )
