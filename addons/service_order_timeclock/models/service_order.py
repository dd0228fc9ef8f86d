from odoo import api, fields, models
from odoo.exceptions import UserError


class ServiceOrder(models.Model):
    _inherit = "service.order"

    attendance_ids = fields.One2many("service.attendance", "service_order_id", string="Time Records")
    # Redefined from service_order: the sum of the work recorded on the order's assignments.
    worked_hours = fields.Float(
        compute="_compute_worked_hours",
        store=True,
        readonly=True,
        copy=False,
        help="Hours worked on site, from the time records (travel excluded).",
    )
    travel_hours = fields.Float(compute="_compute_worked_hours", store=True, copy=False)
    hours_variance = fields.Float(
        string="Worked - Planned",
        compute="_compute_hours_variance",
        help="Positive when more was worked than planned.",
    )
    date_response = fields.Datetime(help="The first arrival on site, from the time clock.")

    @api.depends("attendance_ids.worked_hours", "attendance_ids.kind")
    def _compute_worked_hours(self):
        sums = {
            (order.id, kind): hours
            for order, kind, hours in self.env["service.attendance"]._read_group(
                [("service_order_id", "in", self.ids)], ["service_order_id", "kind"], ["worked_hours:sum"]
            )
        }
        for order in self:
            order.worked_hours = sums.get((order._origin.id, "work"), 0.0)
            order.travel_hours = sums.get((order._origin.id, "travel"), 0.0)

    @api.depends("worked_hours", "planned_hours")
    def _compute_hours_variance(self):
        for order in self:
            order.hours_variance = order.worked_hours - order.planned_hours

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {"travel_hours"}

    def _prepare_state_values(self, state, now):
        """With the time clock, the response is the first arrival on site (set by the clock),
        not the moment the order is scheduled or started by hand."""
        vals = super()._prepare_state_values(state, now)
        if state in ("scheduled", "in_progress"):
            vals.pop("date_response", None)
        return vals

    def _check_company_move(self, company):
        timed = self.filtered("attendance_ids")
        if timed:
            raise UserError(
                self.env._(
                    "%(orders)s cannot move to another company: time was recorded on them.",
                    orders=", ".join(timed.mapped("name")),
                )
            )
        return super()._check_company_move(company)
