from odoo import api, fields, models
from odoo.tools import float_compare


class ServiceOrder(models.Model):
    _inherit = "service.order"

    assignment_ids = fields.One2many("service.assignment", "service_order_id", string="Assignments")
    assignment_count = fields.Integer(compute="_compute_assignment_count")
    # Redefined from service_order: the sum of the active assignments' planned hours.
    planned_hours = fields.Float(
        compute="_compute_planned_hours",
        store=True,
        readonly=True,
        copy=False,
        help="Hours planned in the assignments that are not cancelled.",
    )
    is_overbooked = fields.Boolean(
        string="Overbooked",
        compute="_compute_is_overbooked",
        store=True,
        help="More hours are planned than were sold.",
    )

    @api.depends("assignment_ids.planned_hours", "assignment_ids.state")
    def _compute_planned_hours(self):
        planned = dict(
            self.env["service.assignment"]._read_group(
                [("service_order_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["service_order_id"],
                ["planned_hours:sum"],
            )
        )
        for order in self:
            order.planned_hours = planned.get(order._origin, 0.0)

    @api.depends("assignment_ids.state")
    def _compute_assignment_count(self):
        counts = dict(
            self.env["service.assignment"]._read_group(
                [("service_order_id", "in", self.ids)], ["service_order_id"], ["__count"]
            )
        )
        for order in self:
            order.assignment_count = counts.get(order._origin, 0)

    @api.depends("planned_hours", "sold_hours")
    def _compute_is_overbooked(self):
        for order in self:
            order.is_overbooked = float_compare(order.planned_hours, order.sold_hours, precision_digits=2) > 0

    def action_view_assignments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_order_planning.service_assignment_action"
        )
        action.update(
            domain=[("service_order_id", "=", self.id)],
            context={"default_service_order_id": self.id},
        )
        return action

    def action_plan_assignments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_order_planning.service_assignment_planning_wizard_action"
        )
        action["context"] = {"default_service_order_id": self.id}
        return action
