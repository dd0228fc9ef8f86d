import xmlrpc.client

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ServiceKpiCommon

MONEY = (
    "cost",
    "revenue",
    "margin",
    "invoiced_revenue",
    "expected_revenue",
    "revenue_per_hour",
    "cost_per_hour",
)


@tagged("post_install", "-at_install")
class TestKpiAccess(ServiceKpiCommon):
    def setUp(self):
        super().setUp()
        self._work("2026-12-01 08:00:00", "2026-12-01 11:00:00")
        self.bram_job = self._assign(
            "2026-12-01 13:00:00", "2026-12-01 16:00:00", employee=self.brussels_employee, order=self.service
        )

    def test_technicians_never_see_money(self):
        report = self.Report.with_user(self.technician)
        described = report.fields_get()
        for name in MONEY:
            self.assertNotIn(name, described)
        self.assertIn("worked_hours", described)
        with self.assertRaises(AccessError):
            report.search([]).read(["cost"])
        for name in ("cost", "margin", "revenue_per_hour"):
            with self.assertRaises(AccessError):
                report._read_group([], ["employee_id"], [f"{name}:sum"])
        # Ratios of hours are theirs.
        self.assertTrue(report._read_group([], [], ["utilization:sum"]))

    def test_technicians_see_their_own_rows(self):
        rows = self.Report.with_user(self.technician).search([])
        self.assertTrue(rows)
        self.assertEqual(rows.employee_id, self.tech_employee)
        everyone = self.Report.with_user(self.dispatcher).search([])
        self.assertIn(self.brussels_employee, everyone.employee_id)

    def test_managers_read_money(self):
        self.assertIn("margin", self.Report.with_user(self.manager).fields_get())
        figures = self.figures([("service_order_id", "=", self.service.id)], user=self.manager)
        self.assertAlmostEqual(figures["margin"], 300.0 - 120.0)
        self.assertNotIn("margin", self.Report.with_user(self.dispatcher).fields_get())

    def test_overview(self):
        data = self.Report.with_user(self.manager).get_overview_data()
        self.assertEqual(len(data["months"]), 6)
        self.assertEqual(
            [figure["name"] for figure in data["figures"]],
            [
                "utilization",
                "revenue_per_hour",
                "cost_per_hour",
                "margin",
                "sla_met_percent",
                "first_time_fix_percent",
            ],
        )
        self.assertTrue(data["refreshed_at"])
        # The screen colours a change as good or bad news: a rising cost per hour is bad news.
        better = {figure["name"]: figure["higher_is_better"] for figure in data["figures"]}
        self.assertIs(better.pop("cost_per_hour"), False)
        self.assertEqual(set(better.values()), {True})
        for figure in data["figures"]:
            self.assertEqual(len(figure["values"]), 6)
        technician = self.Report.with_user(self.technician).get_overview_data(months=3)
        self.assertEqual(
            [figure["name"] for figure in technician["figures"]],
            ["utilization", "sla_met_percent", "first_time_fix_percent"],
        )
        for months in (1, 25, "6", None, True):
            with self.assertRaisesRegex(ValidationError, "months"):
                self.Report.with_user(self.manager).get_overview_data(months=months)

    def test_overview_months_without_figures(self):
        """Two years back, the first months have no rows at all and a ratio without its
        denominator has no value: both are False, as Odoo's reads say "no value" to RPC
        clients (None cannot be sent over XML-RPC), and never a made-up 0."""
        data = self.Report.with_user(self.manager).get_overview_data(24)
        values = {figure["name"]: figure["values"] for figure in data["figures"]}
        for name, months in values.items():
            self.assertNotIn(None, months, name)
            self.assertIs(months[0], False, name)
        self.assertTrue(xmlrpc.client.dumps((data,), methodresponse=True))
        with self.assertRaisesRegex(ValidationError, r"not \[6\]"):
            self.Report.with_user(self.manager).get_overview_data([6])

    def test_overview_query_count(self):
        report = self.Report.with_user(self.manager)
        report.get_overview_data()
        self.env.invalidate_all()
        with self.assertQueryCount(5):
            report.get_overview_data()
