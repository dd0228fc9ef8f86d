from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class ServiceOrderSlaCorrection(models.TransientModel):
    """The one way to change the SLA actuals of an order by hand: a manager, a reason, and a note
    in the order's chatter next to the tracked old and new values."""

    _name = "service.order.sla.correction"
    _description = "Correct the SLA actuals of a service order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    order_state = fields.Selection(related="order_id.state")
    date_response = fields.Datetime(string="Responded On")
    date_resolved = fields.Datetime(string="Resolved On")
    reason = fields.Text(
        required=True, help="Why the recorded times were wrong; kept in the order's chatter."
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["service.order"].browse(values.get("order_id"))
        if order:
            values.setdefault("date_response", order.date_response)
            values.setdefault("date_resolved", order.date_resolved)
        return values

    def _check_values(self):
        order = self.order_id
        now = fields.Datetime.now()
        errors = []
        if self.date_resolved and order.state != "done":
            errors.append(self.env._("%(order)s is not done: it has no resolution time.", order=order.name))
        if order.state == "done" and not self.date_resolved:
            errors.append(self.env._("%(order)s is done: it needs a resolution time.", order=order.name))
        if self.date_resolved and not self.date_response:
            errors.append(self.env._("A resolved order was responded to: give the response time."))
        for label, value in (
            (self.env._("The response time"), self.date_response),
            (self.env._("The resolution time"), self.date_resolved),
        ):
            if value and not order.date_start <= value <= now:
                errors.append(
                    self.env._(
                        "%(what)s (%(value)s) must lie between the start of %(order)s (%(start)s) and now.",
                        what=label,
                        value=value,
                        order=order.name,
                        start=order.date_start,
                    )
                )
        if self.date_response and self.date_resolved and self.date_resolved < self.date_response:
            errors.append(self.env._("The resolution time cannot be before the response time."))
        if errors:
            raise ValidationError("\n".join(errors))

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("service_order.group_service_manager"):
            raise AccessError(self.env._("Only service managers can correct the SLA times of an order."))
        self._check_values()
        self.order_id.sudo().write({"date_response": self.date_response, "date_resolved": self.date_resolved})
        self.order_id.message_post(
            body=Markup("<p>%s</p><p>%s</p>")
            % (self.env._("SLA times corrected by %(user)s.", user=self.env.user.name), self.reason)
        )
        return {"type": "ir.actions.act_window_close"}
