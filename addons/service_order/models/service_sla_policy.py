from odoo import api, fields, models


class ServiceSlaPolicy(models.Model):
    _name = "service.sla.policy"
    _description = "Service SLA Policy"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    description = fields.Text(translate=True)
    response_hours = fields.Float(
        required=True,
        default=8.0,
        help="Working hours, counted in the policy's working schedule, within which the customer "
        "must get a first response.",
    )
    resolution_hours = fields.Float(
        required=True,
        default=40.0,
        help="Working hours, counted in the policy's working schedule, within which the order must be done.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Schedule",
        required=True,
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Only the working time of this schedule counts: nights, weekends and its public holidays "
        "stop the SLA clock.",
    )
    at_risk_percent = fields.Integer(
        string="At Risk From (%)",
        default=80,
        help="An order is at risk once this share of the time between its start and its next "
        "deadline has passed.",
    )
    order_count = fields.Integer(compute="_compute_order_count", string="Orders")

    _response_hours_positive = models.Constraint(
        "CHECK(response_hours > 0)", "The response time of an SLA policy must be more than 0 hours."
    )
    _resolution_after_response = models.Constraint(
        "CHECK(resolution_hours >= response_hours)",
        "The resolution time of an SLA policy cannot be shorter than its response time.",
    )
    _at_risk_percent_range = models.Constraint(
        "CHECK(at_risk_percent > 0 AND at_risk_percent < 100)",
        "The 'at risk' threshold of an SLA policy must lie between 1 and 99 percent.",
    )

    def _compute_order_count(self):
        counts = dict(
            self.env["service.order"]._read_group(
                [("sla_policy_id", "in", self.ids)], ["sla_policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.order_count = counts.get(policy, 0)

    @api.depends("name", "response_hours", "resolution_hours")
    def _compute_display_name(self):
        for policy in self:
            policy.display_name = self.env._(
                "%(name)s (%(response)sh / %(resolution)sh)",
                name=policy.name or "",
                response=f"{policy.response_hours:g}",
                resolution=f"{policy.resolution_hours:g}",
            )

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_order.service_order_action")
        action["domain"] = [("sla_policy_id", "=", self.id)]
        action["context"] = {"default_sla_policy_id": self.id}
        return action
