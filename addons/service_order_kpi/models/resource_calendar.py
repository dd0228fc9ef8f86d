from odoo import models

# Schedule fields that change its working time.
CAPACITY_FIELDS = {"tz", "flexible_hours", "hours_per_day", "hours_per_week", "full_time_required_hours"}


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if CAPACITY_FIELDS & vals.keys():
            self._service_kpi_refresh_capacity()
        return result

    def _service_kpi_refresh_capacity(self):
        """Refresh the capacity of the employees working on these schedules, in any of their
        contract versions."""
        if not self:
            return
        versions = (
            self.env["hr.version"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("resource_calendar_id", "in", self.ids)], ["employee_id"])
        )
        self.env["service.kpi.capacity"]._refresh_later(versions.employee_id)
