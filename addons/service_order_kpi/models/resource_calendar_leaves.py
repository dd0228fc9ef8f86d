from collections import defaultdict
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
        days in other time zones. Read for all the leaves at once: a few queries, however
        many leaves."""
        leaves = self.sudo().filtered(lambda leave: leave.date_from and leave.date_to)
        Employee = self.env["hr.employee"].sudo().with_context(active_test=False)
        personal = leaves.filtered("resource_id")
        by_resource = defaultdict(Employee.browse)
        if personal:
            for employee in Employee.search_fetch(
                [("resource_id", "in", personal.resource_id.ids)], ["resource_id"]
            ):
                by_resource[employee.resource_id.id] |= employee
        general = leaves - personal
        everyone = Employee
        on_calendar = defaultdict(set)
        if general:
            domain = Domain.TRUE
            # A closure without company closes every company.
            if all(leave.company_id for leave in general):
                domain = Domain("company_id", "in", general.company_id.ids)
            everyone = Employee.search_fetch(domain, ["company_id"])
            if general.calendar_id:
                versions = self.env["hr.version"].sudo().with_context(active_test=False)
                for version in versions.search_fetch(
                    [("resource_calendar_id", "in", general.calendar_id.ids)],
                    ["resource_calendar_id", "employee_id"],
                ):
                    on_calendar[version.resource_calendar_id.id].add(version.employee_id.id)
        # The employees of a company and schedule, chosen once: a year of public holidays
        # shares one.
        chosen = {}
        targets = []
        for leave in leaves:
            if leave.resource_id:
                employees = by_resource[leave.resource_id.id]
            else:
                company, calendar = leave.company_id, leave.calendar_id
                if (company, calendar) not in chosen:
                    chosen[company, calendar] = everyone.filtered(
                        lambda employee, company=company, calendar=calendar: (
                            (not company or employee.company_id == company)
                            and (not calendar or employee.id in on_calendar[calendar.id])
                        )
                    )
                employees = chosen[company, calendar]
            # Held within the calendar: a closure until 31 December 9999 has no day after it.
            first = max(leave.date_from.date(), date.min + ONE_DAY) - ONE_DAY
            last = min(leave.date_to.date(), date.max - ONE_DAY) + ONE_DAY
            targets.append((employees, first, last))
        return targets

    def _service_kpi_refresh_targets(self, targets):
        for employees, first, last in targets:
            self.env["service.kpi.capacity"]._refresh_later(employees, first, last)
