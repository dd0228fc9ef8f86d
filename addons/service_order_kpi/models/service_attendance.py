from odoo import api, fields, models

from .service_assignment import local_dates


class ServiceAttendance(models.Model):
    _inherit = "service.attendance"

    # The KPI report groups time by the employee's local day: stored and indexed, so that a
    # period filter reads only its rows instead of converting every check-in of the table.
    kpi_date = fields.Date(
        string="Local Date",
        compute="_compute_kpi_date",
        store=True,
        index=True,
        help="The day of the check-in in the employee's time zone.",
    )

    @api.depends("check_in", "employee_id.resource_id.tz")
    def _compute_kpi_date(self):
        for record, day in zip(self, local_dates(self, "check_in"), strict=True):
            record.kpi_date = day
