from odoo import fields, models
from odoo.tools import SQL


class ServiceKpiReport(models.Model):
    _name = "service.kpi.report"
    _description = "Service KPI Analysis"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Employee", readonly=True)
    service_order_id = fields.Many2one("service.order", string="Service Order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    capacity_hours = fields.Float(string="Capacity (h)", readonly=True)
    planned_hours = fields.Float(string="Planned (h)", readonly=True)
    worked_hours = fields.Float(string="Worked (h)", readonly=True)
    travel_hours = fields.Float(string="Travel (h)", readonly=True)
    sold_hours = fields.Float(string="Sold (h)", readonly=True)
    cost = fields.Monetary(readonly=True, groups="service_order.group_service_manager")
    revenue = fields.Monetary(readonly=True, groups="service_order.group_service_manager")
    margin = fields.Monetary(readonly=True, groups="service_order.group_service_manager")

    @property
    def _table_query(self):
        return SQL(
            """SELECT c.id, c.date, c.employee_id, NULL::int AS service_order_id, NULL::int AS partner_id,
                      c.company_id, company.currency_id, c.capacity_hours, 0.0 AS planned_hours,
                      0.0 AS worked_hours, 0.0 AS travel_hours, 0.0 AS sold_hours, 0.0 AS cost,
                      0.0 AS revenue, 0.0 AS margin
                 FROM service_kpi_capacity c
                 JOIN res_company company ON company.id = c.company_id"""
        )
