from odoo import fields
from odoo.fields import Command
from odoo.tests import freeze_time, tagged

from .common import ServiceKpiCommon


@tagged("post_install", "-at_install")
class TestKpiFigures(ServiceKpiCommon):
    """Hand-computed figures. Ada costs 40 an hour; the sale bills 4 hours at 100 on actual
    hours; travel is not billed."""

    def order_figures(self, order=None):
        return self.figures([("service_order_id", "=", (order or self.service).id)])

    def test_hours_cost_revenue_and_travel(self):
        self._work("2026-12-01 07:30:00", "2026-12-01 08:00:00", kind="travel")
        self._work("2026-12-01 08:00:00", "2026-12-01 11:00:00")
        self.assertFigures(
            self.order_figures(),
            {
                "planned_hours": 4.0,
                "worked_hours": 3.0,
                "travel_hours": 0.5,
                "billable_hours": 3.0,
                "sold_hours": 4.0,
                "cost": 3.5 * 40,
                "invoiced_revenue": 0.0,
                "expected_revenue": 300.0,
                "revenue": 300.0,
                "margin": 300.0 - 140.0,
            },
        )
        # Capacity is counted once per day, on rows without order: Ada's week is 32 hours
        # (Wednesday is a public holiday), of which 3 were worked.
        week = self.figures(self.week_domain(self.tech_employee))
        self.assertFigures(week, {"capacity_hours": 32.0, "worked_hours": 3.0, "planned_hours": 8.0})
        ratios = self.figures(
            self.week_domain(self.tech_employee),
            measures=(
                "utilization",
                "billable_utilization",
                "revenue_per_hour",
                "cost_per_hour",
                "margin_percent",
            ),
        )
        self.assertFigures(
            ratios,
            {
                "utilization": 3.0 / 32.0 * 100,
                "billable_utilization": 3.0 / 32.0 * 100,
                "revenue_per_hour": 100.0,
                "cost_per_hour": 40.0,
                "margin_percent": 160.0 / 300.0 * 100,
            },
        )

    def test_ratios_per_group_are_ratios_of_sums(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 12:00:00")
        by_day = self.figures(
            self.week_domain(self.tech_employee), ["date:day"], measures=("utilization", "worked_hours")
        )
        # Tuesday: 4 of 8 hours; Monday: nothing worked of 8.
        self.assertAlmostEqual(by_day[fields.Date.to_date("2026-12-01")]["utilization"], 50.0)
        self.assertAlmostEqual(by_day[fields.Date.to_date("2026-11-30")]["utilization"], 0.0)

    def test_cost_at_the_date_of_the_work(self):
        with freeze_time("2026-12-01"):
            self.tech_employee.hourly_cost = 50.0
        self._work("2026-11-30 08:00:00", "2026-11-30 10:00:00", job=self.assignment)
        self._work("2026-12-01 08:00:00", "2026-12-01 11:00:00")
        self.assertFigures(self.order_figures(self.order), {"cost": 2 * 40.0})
        self.assertFigures(self.order_figures(), {"cost": 3 * 50.0})
        history = self.env["service.kpi.hourly.cost"].search([("employee_id", "=", self.tech_employee.id)])
        self.assertEqual(
            [(str(h.date_from), str(h.date_to), h.hourly_cost) for h in history.sorted("hourly_cost")],
            [("False", "2026-11-01", 0.0), ("2026-11-01", "2026-12-01", 40.0), ("2026-12-01", "False", 50.0)],
        )

    def test_partial_invoicing_credit_note_and_price_change(self):
        second = self._assign(
            "2026-12-03 08:00:00", "2026-12-03 12:00:00", order=self.service, state="confirmed"
        )
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        self._work("2026-12-03 08:00:00", "2026-12-03 09:00:00", job=second)
        invoice = self._invoice(date_until="2026-12-01")
        # A draft invoice is no revenue yet.
        self.assertFigures(self.order_figures(), {"invoiced_revenue": 0.0, "expected_revenue": 300.0})
        invoice.action_post()
        self.assertFigures(
            self.order_figures(),
            {"invoiced_hours": 2.0, "invoiced_revenue": 200.0, "expected_revenue": 100.0},
        )
        # The price goes up after invoicing: invoiced time keeps its invoiced amount, the rest
        # is expected at the new price.
        self.sale_line().price_unit = 120.0
        self.assertFigures(
            self.order_figures(), {"invoiced_revenue": 200.0, "expected_revenue": 120.0, "revenue": 320.0}
        )
        tuesday = self.figures([("service_order_id", "=", self.service.id), ("date", "=", "2026-12-01")])
        self.assertFigures(tuesday, {"invoiced_revenue": 200.0, "expected_revenue": 0.0, "cost": 80.0})
        # A credit note gives the hours back: nothing is invoiced any more.
        self._refund(invoice)
        self.assertFigures(
            self.order_figures(), {"invoiced_hours": 0.0, "invoiced_revenue": 0.0, "expected_revenue": 360.0}
        )

    def test_foreign_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        company_currency = self.company.currency_id
        self.assertNotEqual(company_currency, eur)
        self.env["res.currency.rate"].search([("currency_id", "in", (eur | company_currency).ids)]).unlink()
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "rate": 2.0, "name": "2026-01-01", "company_id": self.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "EUR", "currency_id": eur.id})
        sale = self._sell(self.product_actual, 4.0, pricelist_id=pricelist.id)
        sale.order_line.price_unit = 150.0
        order = sale.service_order_ids
        job = self._assign("2026-12-04 08:00:00", "2026-12-04 12:00:00", order=order, state="confirmed")
        self._work("2026-12-04 08:00:00", "2026-12-04 10:00:00", job=job)
        # 150 EUR at 2 EUR per unit of the company's currency: 75 an hour.
        self.assertFigures(
            self.order_figures(order), {"expected_revenue": 150.0, "cost": 80.0, "margin": 70.0}
        )
        self._invoice(order).action_post()
        self.assertFigures(self.order_figures(order), {"invoiced_revenue": 150.0, "expected_revenue": 0.0})

    def test_two_companies(self):
        other = self.env["res.company"].create({"name": "Other Services"})
        employee = self.env["hr.employee"].create(
            {"name": "Oda Other", "company_id": other.id, "resource_calendar_id": False, "tz": "UTC"}
        )
        self.Capacity._refresh(employee, *self.WEEK)
        rows = self.Capacity.search(
            [("employee_id", "=", employee.id), ("date", ">=", self.WEEK[0]), ("date", "<=", self.WEEK[1])]
        )
        self.assertEqual(rows.company_id, other)
        self.manager.write({"company_ids": [Command.link(other.id)]})
        own = self.Report.with_user(self.manager).with_context(allowed_company_ids=self.company.ids)
        self.assertEqual(
            [
                company
                for company, _hours in own._read_group(
                    self.week_domain(), ["company_id"], ["capacity_hours:sum"]
                )
            ],
            [self.company],
        )
        both = self.Report.with_user(self.manager).with_context(
            allowed_company_ids=[self.company.id, other.id]
        )
        groups = both._read_group(self.week_domain(), ["company_id"], ["capacity_hours:sum"])
        # Oda has no schedule: fully flexible, the engine gives her every hour of the week.
        self.assertEqual(dict(groups)[other], 7 * 24.0)

    def test_companies_in_other_currencies(self):
        """Money of a company keeping its books in another currency is converted to the
        currency of the company the user works in, at today's rate, as Odoo's sales analysis
        does: a pivot over both companies never adds euros to dollars."""
        eur = self.env.ref("base.EUR")
        eur.active = True
        dollars = self.company.currency_id
        self.env["res.currency.rate"].search([("currency_id", "in", (eur | dollars).ids)]).unlink()
        self.env["res.currency.rate"].create({"currency_id": eur.id, "rate": 2.0, "name": "2026-01-01"})
        other = self.env["res.company"].create({"name": "Euro Services", "currency_id": eur.id})
        employee = self.env["hr.employee"].create(
            {
                "name": "Oda Other",
                "company_id": other.id,
                "resource_calendar_id": False,
                "tz": "UTC",
                "hourly_cost": 30.0,
            }
        )
        order = self._create_order(company_id=other.id)
        job = self._assign("2026-12-04 08:00:00", "2026-12-04 12:00:00", employee=employee, order=order)
        self._work("2026-12-04 08:00:00", "2026-12-04 10:00:00", job=job, employee=employee)
        self.manager.write({"company_ids": [Command.link(other.id)]})
        self.env.flush_all()
        domain = [("employee_id", "=", employee.id), ("worked_hours", "!=", 0.0)]

        def cost(companies):
            report = self.Report.with_user(self.manager).with_context(allowed_company_ids=companies.ids)
            # Read again: the records' cache does not depend on the companies.
            report.invalidate_model()
            self.assertEqual(report.search(domain).currency_id, companies[0].currency_id)
            return report._read_group(domain, [], ["cost:sum"])[0][0]

        # Two hours at 30 euros.
        self.assertAlmostEqual(cost(other | self.company), 60.0)
        self.assertAlmostEqual(cost(self.company | other), 30.0)
        only_here = self.Report.with_user(self.manager).with_context(allowed_company_ids=self.company.ids)
        self.assertFalse(only_here.search(domain))

    def test_sold_hours_shared_by_worked_hours(self):
        bram = self.brussels_employee
        job = self._assign("2026-12-01 13:00:00", "2026-12-01 16:00:00", employee=bram, order=self.service)
        self._work("2026-12-01 08:00:00", "2026-12-01 11:00:00")
        self._work("2026-12-01 13:00:00", "2026-12-01 14:00:00", job=job, employee=bram)
        per_employee = self.figures([("service_order_id", "=", self.service.id)], ["employee_id"])
        self.assertAlmostEqual(per_employee[self.tech_employee]["sold_hours"], 3.0)
        self.assertAlmostEqual(per_employee[bram]["sold_hours"], 1.0)
        # An order with neither planned nor worked hours has its sold hours on a row without employee.
        lone = self._create_order(sold_hours=6.0, date_start="2026-12-02 09:00:00")
        self.assertFigures(self.order_figures(lone), {"sold_hours": 6.0})
        self.assertEqual(
            list(self.figures([("service_order_id", "=", lone.id)], ["employee_id"])),
            [self.env["hr.employee"]],
        )
