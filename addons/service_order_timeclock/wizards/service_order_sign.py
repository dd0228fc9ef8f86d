from odoo import fields, models


class ServiceOrderSign(models.TransientModel):
    """The customer signs the job off on the technician's phone, through ``action_sign``."""

    _name = "service.order.sign"
    _description = "Service Order Customer Sign-off"

    service_order_id = fields.Many2one(
        "service.order",
        required=True,
        ondelete="cascade",
        default=lambda self: self.env.context.get("active_id"),
    )
    signed_by = fields.Char(string="Name", required=True, help="The name of the person who signs.")
    signature = fields.Binary(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.service_order_id.action_sign(self.signature, self.signed_by)
        return {"type": "ir.actions.act_window_close"}
