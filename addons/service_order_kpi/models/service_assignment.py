import pytz

from odoo import api, fields, models


def local_dates(records, field_name):
    """The local day of each record's UTC datetime ``field_name`` in its employee's time zone."""
    # Only these columns: reading the employees' resource field loads all of their columns.
    records.employee_id.fetch(["resource_id"])
    records.employee_id.resource_id.fetch(["tz"])
    result = []
    for record in records:
        value = record[field_name]
        if not value:
            result.append(False)
            continue
        tz = pytz.timezone(record.employee_id.resource_id.tz or "UTC")
        result.append(pytz.utc.localize(value).astimezone(tz).date())
    return result


class ServiceAssignment(models.Model):
    _inherit = "service.assignment"

    # See service.attendance.kpi_date.
    kpi_date = fields.Date(
        string="Local Date",
        compute="_compute_kpi_date",
        store=True,
        index=True,
        help="The day the assignment starts, in the employee's time zone.",
    )

    @api.depends("date_start", "employee_id.resource_id.tz")
    def _compute_kpi_date(self):
        for record, day in zip(self, local_dates(self, "date_start"), strict=True):
            record.kpi_date = day
