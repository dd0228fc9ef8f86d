from odoo import api, models

# Version fields that change the working time of its days.
CAPACITY_FIELDS = {
    "employee_id",
    "date_version",
    "resource_calendar_id",
    "contract_date_start",
    "contract_date_end",
    "active",
}


class HrVersion(models.Model):
    _inherit = "hr.version"

    @api.model_create_multi
    def create(self, vals_list):
        versions = super().create(vals_list)
        versions._service_kpi_refresh_capacity(versions.employee_id)
        return versions

    def write(self, vals):
        if not CAPACITY_FIELDS & vals.keys():
            return super().write(vals)
        employees = self.employee_id
        result = super().write(vals)
        self._service_kpi_refresh_capacity(employees | self.employee_id)
        return result

    def unlink(self):
        employees = self.employee_id
        result = super().unlink()
        self._service_kpi_refresh_capacity(employees)
        return result

    def _service_kpi_refresh_capacity(self, employees):
        # Versions apply from their date until the next one: the whole window may change.
        if employees:
            self.env["service.kpi.capacity"]._refresh_later(employees)
