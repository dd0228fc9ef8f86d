from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.date_utils import float_to_time

from ..tools.spans import Timeline


class ServiceAssignmentPlanningWizard(models.TransientModel):
    _name = "service.assignment.planning.wizard"
    _description = "Plan a Service Order over Several Days"

    service_order_id = fields.Many2one(
        "service.order",
        required=True,
        domain="[('state', 'not in', ('done', 'cancelled'))]",
    )
    company_id = fields.Many2one(related="service_order_id.company_id")
    employee_ids = fields.Many2many(
        "hr.employee",
        string="Employees",
        required=True,
        domain="[('company_id', 'in', (company_id, False))]",
    )
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    hour_from = fields.Float(
        string="Daily Start", default=8.0, required=True, help="In each employee's time zone."
    )
    hour_to = fields.Float(
        string="Daily End", default=17.0, required=True, help="In each employee's time zone."
    )
    working_days_only = fields.Boolean(
        default=True,
        help="Skip the days on which an employee has no working time in these hours "
        "(weekends, time off, public holidays).",
    )
    confirm = fields.Boolean(string="Confirm Assignments", help="Create confirmed assignments.")

    @api.constrains("hour_from", "hour_to", "date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if not 0 <= wizard.hour_from < wizard.hour_to <= 24:
                raise ValidationError(
                    self.env._("The daily end must come after the daily start, within one day.")
                )
            if wizard.date_to < wizard.date_from:
                raise ValidationError(self.env._("The last day cannot be before the first day."))

    def _prepare_assignment_values(self):
        self.ensure_one()
        days = [
            self.date_from + timedelta(days=offset)
            for offset in range((self.date_to - self.date_from).days + 1)
        ]
        employees = self.employee_ids.sudo()
        spans = {employee: self._daily_spans(employee, days) for employee in employees}
        if self.working_days_only:
            # One calendar computation for all employees, wide enough for every time zone.
            schedules = employees._service_availability(
                min(span[0][0] for span in spans.values()).timestamp(),
                max(span[-1][1] for span in spans.values()).timestamp(),
            )
            for employee, employee_spans in spans.items():
                work = Timeline(schedules[employee.id].work)
                spans[employee] = [
                    (start, end)
                    for start, end in employee_spans
                    if work.clip(start.timestamp(), end.timestamp())
                ]
        vals_list = [
            {
                "service_order_id": self.service_order_id.id,
                "employee_id": employee.id,
                "date_start": start.astimezone(pytz.utc).replace(tzinfo=None),
                "date_end": end.astimezone(pytz.utc).replace(tzinfo=None),
                "state": "confirmed" if self.confirm else "planned",
            }
            for employee, employee_spans in spans.items()
            for start, end in employee_spans
        ]
        return vals_list

    def _daily_spans(self, employee, days):
        """The daily hours of each day, as aware datetimes in the employee's time zone."""
        tz = pytz.timezone(employee.tz or "UTC")
        start_time = float_to_time(self.hour_from)
        spans = []
        for day in days:
            end_day, end_time = (
                (day, float_to_time(self.hour_to))
                if self.hour_to < 24
                else (day + timedelta(days=1), time.min)
            )
            spans.append(
                (
                    tz.localize(datetime.combine(day, start_time)),
                    tz.localize(datetime.combine(end_day, end_time)),
                )
            )
        return spans

    def action_plan(self):
        self.ensure_one()
        vals_list = self._prepare_assignment_values()
        if not vals_list:
            raise UserError(
                self.env._(
                    "%(employees)s have no working time in these days and hours.",
                    employees=", ".join(self.employee_ids.mapped("name")),
                )
            )
        assignments = self.env["service.assignment"].create(vals_list)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_order_planning.service_assignment_action"
        )
        action.update(
            domain=[("id", "in", assignments.ids)],
            views=[(False, "list"), (False, "form"), (False, "calendar")],
            view_mode="list,form,calendar",
        )
        return action
