from datetime import timedelta

import pytz

from odoo import api, models
from odoo.addons.service_order_planning.tools import spans
from odoo.addons.service_order_planning.tools.availability import WorkingTime

# Employee fields that change the capacity of their days.
CAPACITY_FIELDS = ("active", "company_id", "resource_calendar_id", "tz", "version_id")


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        self.env["service.kpi.hourly.cost"]._record(employees)
        self.env["service.kpi.capacity"]._refresh_later(employees)
        return employees

    def write(self, vals):
        result = super().write(vals)
        if "hourly_cost" in vals:
            self.env["service.kpi.hourly.cost"]._record(self)
        if any(name in vals for name in CAPACITY_FIELDS):
            self.env["service.kpi.capacity"]._refresh_later(self)
        return result

    def _service_kpi_daily_capacity(self, date_from, date_to):
        """``(employee id, company id, day, hours)`` of each day from ``date_from`` to
        ``date_to`` included, from one call of the availability engine for all these employees.
        Employees sharing a schedule and time zone share its days: each is measured once."""
        if not self:
            return []
        days = [date_from + timedelta(days=n) for n in range((date_to - date_from).days + 1)]
        zones = {employee.id: employee.resource_id.tz or "UTC" for employee in self}
        windows = {zone: spans.day_windows(pytz.timezone(zone), days) for zone in set(zones.values())}
        start = min(w[0][0] for w in windows.values())
        end = max(w[-1][1] for w in windows.values())
        availability = self._service_availability(start, end)
        measured = {}
        rows = []
        for employee in self:
            zone = zones[employee.id]
            schedule = availability[employee.id]
            key = (id(schedule), zone)
            if key not in measured:
                working = WorkingTime(schedule)
                measured[key] = [
                    round(working.seconds(day_start, day_end) / spans.HOUR, 2)
                    for day_start, day_end in windows[zone]
                ]
            company = employee.company_id.id
            # Days without working time add nothing to any sum: not stored.
            rows += [
                (employee.id, company, day, hours)
                for day, hours in zip(days, measured[key], strict=True)
                if hours
            ]
        return rows
