from datetime import date, timedelta

from odoo import api, models
from odoo.fields import Domain

# The fields of a leave that decide whose working time it removes, and when.
_CAPACITY_FIELDS = {"date_from", "date_to", "calendar_id", "resource_id", "time_type", "company_id"}
ONE_DAY = timedelta(days=1)


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._service_kpi_refresh_capacity()
        return leaves

    def write(self, vals):
        if not _CAPACITY_FIELDS & vals.keys():
            return super().write(vals)
        # The days the leaves covered before the change, and those they cover after it.
        self._service_kpi_refresh_capacity()
        result = super().write(vals)
        self._service_kpi_refresh_capacity()
        return result

    def unlink(self):
        targets = self._service_kpi_targets()
        result = super().unlink()
        self._service_kpi_refresh_targets(targets)
        return result

    def _service_kpi_refresh_capacity(self):
        self._service_kpi_refresh_targets(self._service_kpi_targets())

    def _service_kpi_targets(self):
        """``(employees, first day, last day)`` whose capacity each leave changes: its employee,
        or, for a public holiday or closure, the employees of its company (on its schedule
        when it has one). A day more on each side: the leave's UTC times fall on other local
        days in other time zones."""
        targets = []
        Employee = self.env["hr.employee"].sudo().with_context(active_test=False)
        for leave in self.sudo():
            if not leave.date_from or not leave.date_to:
                continue
            if leave.resource_id:
                employees = Employee.search([("resource_id", "=", leave.resource_id.id)])
            else:
                domain = Domain("company_id", "=", leave.company_id.id) if leave.company_id else Domain.TRUE
                if leave.calendar_id:
                    versions = self.env["hr.version"].sudo().with_context(active_test=False)
                    domain &= Domain(
                        "id",
                        "in",
                        versions.search(
                            [("resource_calendar_id", "=", leave.calendar_id.id)]
                        ).employee_id.ids,
                    )
                employees = Employee.search(domain)
            # Held within the calendar: a closure until 31 December 9999 has no day after it.
            first = max(leave.date_from.date(), date.min + ONE_DAY) - ONE_DAY
            last = min(leave.date_to.date(), date.max - ONE_DAY) + ONE_DAY
            targets.append((employees, first, last))
        return targets

    def _service_kpi_refresh_targets(self, targets):
        for employees, first, last in targets:
            self.env["service.kpi.capacity"]._refresh_later(employees, first, last)
