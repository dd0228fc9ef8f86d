from odoo.addons.service_order_billing.tests.common import ServiceBillingCommon
from odoo.tests import freeze_time

MEASURES = (
    "capacity_hours",
    "planned_hours",
    "worked_hours",
    "travel_hours",
    "billable_hours",
    "invoiced_hours",
    "sold_hours",
    "cost",
    "invoiced_revenue",
    "expected_revenue",
    "revenue",
    "margin",
    "sla_orders",
    "sla_met_orders",
    "done_orders",
    "first_fix_orders",
)


class ServiceKpiCommon(ServiceBillingCommon):
    """On top of the billing fixtures (Ada works in UTC on a Mon-Fri 8-12, 13-17 calendar with a
    public holiday on Wednesday 2026-12-02, a sale of 4 hours at 100 billed on actual hours,
    whose order has Ada's assignment on Tuesday 2026-12-01 8:00-12:00): Ada costs 40 an hour
    from 2026-11-01, and the capacity table is filled for the test week (Monday 2026-11-30 to
    Sunday 2026-12-06)."""

    WEEK = ("2026-11-30", "2026-12-06")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-11-01"):
            cls.tech_employee.hourly_cost = 40.0
        cls.Report = cls.env["service.kpi.report"]
        cls.Capacity = cls.env["service.kpi.capacity"]
        cls.Capacity._refresh(cls.tech_employee | cls.brussels_employee, *cls.WEEK)

    def figures(self, domain=(), groupby=(), measures=MEASURES, user=None):
        """The report's sums over ``domain``: a dict of measures, or per group key when
        ``groupby`` is given."""
        report = self.Report.with_user(user) if user else self.Report
        self.env.flush_all()
        groups = report._read_group(list(domain), list(groupby), [f"{name}:sum" for name in measures])
        result = {}
        for row in groups:
            key, values = row[: len(groupby)], row[len(groupby) :]
            result[key if len(key) > 1 else (key[0] if key else None)] = dict(
                zip(measures, values, strict=True)
            )
        return result if groupby else result.get(None, dict.fromkeys(measures, 0.0))

    def assertFigures(self, figures, expected):
        for name, value in expected.items():
            self.assertAlmostEqual(figures[name] or 0.0, value, places=2, msg=name)

    def week_domain(self, employee=None):
        domain = [("date", ">=", self.WEEK[0]), ("date", "<=", self.WEEK[1])]
        if employee:
            domain.append(("employee_id", "=", employee.id))
        return domain
