from odoo import api, fields, models
from odoo.tools import SQL


class ServiceKpiHourlyCost(models.Model):
    """The hourly cost of each employee over time. ``hr_hourly_cost`` keeps only today's figure;
    the KPI report costs each day's time at the figure valid that day, so every change of
    ``hourly_cost`` closes the current period and opens one from that day."""

    _name = "service.kpi.hourly.cost"
    _description = "Service KPI: Hourly Cost History"
    _order = "employee_id, date_from desc"
    _rec_name = "employee_id"

    employee_id = fields.Many2one("hr.employee", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(readonly=True, help="Empty: since always.")
    date_to = fields.Date(readonly=True, help="First day no longer at this cost. Empty: still valid.")
    hourly_cost = fields.Monetary(readonly=True)

    _employee_date_from_unique = models.UniqueIndex("(employee_id, date_from) NULLS NOT DISTINCT")

    @api.model
    def _record(self, employees, day=None):
        """Record the current hourly cost of ``employees`` as valid from ``day`` (today when
        None); the first figure of an employee is valid since always."""
        day = day or fields.Date.context_today(self)
        employees = employees.sudo()
        if not employees:
            return
        employees.fetch(["hourly_cost", "company_id"])
        cr = self.env.cr
        self.flush_model()
        # Close the open period, unless it starts that very day: that one is replaced.
        cr.execute(
            SQL(
                """UPDATE service_kpi_hourly_cost SET date_to = %s
                    WHERE employee_id IN %s AND date_to IS NULL AND date_from IS DISTINCT FROM %s""",
                day,
                tuple(employees.ids),
                day,
            )
        )
        cr.execute(
            SQL(
                """DELETE FROM service_kpi_hourly_cost WHERE employee_id IN %s AND date_from = %s""",
                tuple(employees.ids),
                day,
            )
        )
        cr.execute(
            SQL(
                """INSERT INTO service_kpi_hourly_cost (employee_id, company_id, date_from, hourly_cost,
                                                       create_uid, create_date, write_uid, write_date)
                   SELECT e, c,
                          CASE WHEN EXISTS (SELECT 1 FROM service_kpi_hourly_cost h WHERE h.employee_id = e)
                               THEN %s::date END,
                          h, %s, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC'
                     FROM unnest(%s::int[], %s::int[], %s::numeric[]) AS t(e, c, h)""",
                day,
                self.env.uid,
                self.env.uid,
                employees.ids,
                [employee.company_id.id for employee in employees],
                [employee.hourly_cost or 0.0 for employee in employees],
            )
        )
        self.invalidate_model()
