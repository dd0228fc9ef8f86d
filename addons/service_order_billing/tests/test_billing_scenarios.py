from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ServiceBillingCommon


@tagged("post_install", "-at_install")
class TestBillingScenarios(ServiceBillingCommon):
    """Odoo's invoicing bugs of 2026, as scenarios of ours: in each, delivered = invoiced and no
    hour is billed twice."""

    def assertBilledOnce(self, records):
        """Every record is on exactly one live invoice line, and the lines add up to the records."""
        lines = records.invoice_line_id
        self.assertTrue(all(records.mapped("invoice_line_id")), "every record is billed")
        self.assertAlmostEqual(sum(lines.mapped("quantity")), sum(records.mapped("billable_hours")), places=6)

    def test_partial_refund_then_rebill(self):
        first = self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        second = self._work("2026-12-01 10:00:00", "2026-12-01 11:30:00")
        invoice = self._invoice()
        invoice.action_post()
        refund = self._refund(invoice, {0: 1.0}, post=False)
        with self.assertRaisesRegex(UserError, r"gives back 1.00 hours .* not whole visits"):
            refund.action_post()
        self._set_quantities(refund, {0: 1.5})
        refund.action_post()
        self.assertTrue(first.is_invoiced)
        self.assertFalse(
            second.is_invoiced or second.invoice_line_id, "exactly the refunded visit is released"
        )
        self.assertHours(self.sale_line(), 3.5, 2.0, 1.5)
        rebill = self._invoice()
        self.assertEqual(rebill.invoice_line_ids.quantity, 1.5)
        self.assertIn("1.50 h", rebill.invoice_line_ids.name)
        rebill.action_post()
        self.assertTrue(second.is_invoiced)
        self.assertHours(self.sale_line(), 3.5, 3.5, 0.0)
        with self.assertRaisesRegex(UserError, "Nothing to invoice for"):
            self._invoice()
        # Posted again, the credit note would give the re-billed visit back a second time.
        with self.assertRaisesRegex(UserError, "gave service hours back and cannot be reset to draft"):
            refund.button_draft()
        self.assertTrue(second.is_invoiced)

    def test_partial_refund_of_visits_that_are_not_the_latest(self):
        self.sale_line().product_uom_qty = 8.0
        monday = self._work("2026-11-30 13:00:00", "2026-11-30 15:00:00")
        tuesday = self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        thursday = self._work("2026-12-03 08:00:00", "2026-12-03 11:00:00")
        invoice = self._invoice()
        invoice.action_post()
        # 4 hours given back: the two visits of 2 hours, though the latest visit lasted 3.
        self._refund(invoice, {0: 4.0})
        self.assertFalse(monday.invoice_line_id or tuesday.invoice_line_id)
        self.assertTrue(thursday.is_invoiced)
        rebill = self._invoice()
        self.assertEqual(rebill.invoice_line_ids.quantity, 4.0)
        rebill.action_post()
        self.assertEqual((monday | tuesday).invoice_line_id, rebill.invoice_line_ids)
        self.assertEqual(thursday.invoice_line_id, invoice.invoice_line_ids)
        self.assertHours(self.sale_line(), 7.0, 7.0, 0.0)

    def test_partial_invoicing_then_the_rest_in_two_periods(self):
        november = self._work("2026-11-30 13:00:00", "2026-11-30 15:00:00")
        december = self._work("2026-12-01 08:00:00", "2026-12-01 09:00:00")
        first = self._invoice(date_until="2026-11-30")
        self.assertEqual(first.invoice_line_ids.quantity, 2.0)
        self.assertEqual(november.invoice_line_id, first.invoice_line_ids)
        self.assertFalse(december.invoice_line_id)
        first.action_post()
        self.assertHours(self.sale_line(), 3.0, 2.0, 1.0)
        with self.assertRaisesRegex(UserError, "Nothing to invoice for"):
            self._invoice(date_until="2026-11-30")
        second = self._invoice()
        self.assertEqual(second.invoice_line_ids.quantity, 1.0)
        second.action_post()
        self.assertHours(self.sale_line(), 3.0, 3.0, 0.0)
        self.assertBilledOnce(november | december)
        self.assertEqual(self.service.invoice_status, "no", "1 sold hour is left to work")

    def test_periods_and_visit_dates_are_the_technicians_days(self):
        # 00:05 to 00:50 on 1 December in Brussels is still 30 November in UTC.
        self.tech_employee.tz = "Europe/Brussels"
        evening = self._work("2026-11-30 20:00:00", "2026-11-30 21:00:00")
        night = self._work("2026-11-30 23:05:00", "2026-11-30 23:50:00")
        november = self._invoice(date_until="2026-11-30")
        self.assertEqual(evening.invoice_line_id, november.invoice_line_ids)
        self.assertFalse(night.invoice_line_id, "worked on 1 December where it was worked")
        december = self._invoice()
        self.assertEqual(night.invoice_line_id, december.invoice_line_ids)
        self.assertIn("2026-12-01 Ada Fixer 0.75 h", december.invoice_line_ids.name)
        self.assertIn("2026-11-30 Ada Fixer 1.00 h", november.invoice_line_ids.name)

    def test_credit_note_inside_a_period(self):
        a = self._work("2026-11-30 13:00:00", "2026-11-30 14:00:00")
        b = self._work("2026-11-30 14:00:00", "2026-11-30 15:00:00")
        c = self._work("2026-12-01 08:00:00", "2026-12-01 09:00:00")
        period_1 = self._invoice(date_until="2026-11-30")
        period_1.action_post()
        period_2 = self._invoice(date_until="2026-12-01")
        period_2.action_post()
        self.assertEqual(c.invoice_line_id.move_id, period_2)
        # The whole first period is credited: its two visits, and only them, are billable again.
        self._refund(period_1)
        self.assertFalse((a | b).mapped("is_invoiced") != [False, False])
        self.assertTrue(c.is_invoiced)
        self.assertHours(self.sale_line(), 3.0, 1.0, 2.0)
        again = self._invoice(date_until="2026-11-30")
        self.assertEqual(again.invoice_line_ids.quantity, 2.0)
        again.action_post()
        self.assertHours(self.sale_line(), 3.0, 3.0, 0.0)
        self.assertBilledOnce(a | b | c)

    def test_fractions_delivered_across_several_invoices(self):
        # 6.67 hours worked as three visits of 2 h 13 min 20 s: each is billed 2.22 h, once.
        self.sale_line().product_uom_qty = 8.0
        visits = (
            self._work("2026-11-30 13:00:00", "2026-11-30 15:13:20")
            | self._work("2026-12-01 08:00:00", "2026-12-01 10:13:20")
            | self._work("2026-12-03 08:00:00", "2026-12-03 10:13:20")
        )
        self.assertEqual(visits.mapped("billable_hours"), [2.22, 2.22, 2.22])
        invoices = self.env["account.move"]
        for day in ("2026-11-30", "2026-12-01", "2026-12-03"):
            invoice = self._invoice(date_until=day)
            invoice.action_post()
            invoices |= invoice
        self.assertEqual(invoices.invoice_line_ids.mapped("quantity"), [2.22, 2.22, 2.22])
        line = self.sale_line()
        self.assertEqual(line.qty_delivered, line.qty_invoiced)
        self.assertAlmostEqual(line.qty_invoiced, 6.66, places=6)
        self.assertAlmostEqual(self.service.billable_hours, 6.66, places=6)
        self.assertBilledOnce(visits)

    def test_over_invoicing_is_held_then_approved(self):
        self._work("2026-11-30 13:00:00", "2026-11-30 16:00:00")
        extra = self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        self.assertAlmostEqual(self.service.upsell_hours, 1.0)
        self.assertAlmostEqual(self.service.held_hours, 2.0, msg="the visit that goes beyond is held whole")
        self.assertHours(self.sale_line(), 5.0, 0.0, 3.0)
        self.assertIn(self.service, self.env["service.order"].search([("held_hours", ">", 0)]))
        invoice = self._invoice()
        self.assertEqual(invoice.invoice_line_ids.quantity, 3.0)
        invoice.action_post()
        self.assertFalse(extra.invoice_line_id)
        self.assertEqual(self.service.invoice_status, "upselling")
        self.assertEqual(self.sale.invoice_status, "upselling")

        self.service.with_user(self.manager).action_upsell_extra_hours()
        self.assertEqual(self.sale_line().product_uom_qty, 5.0)
        self.assertEqual(self.service.sold_hours, 5.0)
        self.assertFalse(self.service.held_hours)
        self.assertEqual(self.service.invoice_status, "to invoice")
        rest = self._invoice()
        self.assertEqual(rest.invoice_line_ids.quantity, 2.0)
        rest.action_post()
        self.assertHours(self.sale_line(), 5.0, 5.0, 0.0)
        self.assertEqual(self.service.invoice_status, "invoiced")

    def test_approved_extra_hours_on_an_upsell_line(self):
        self.company.service_upsell_mode = "line"
        self._work("2026-11-30 13:00:00", "2026-11-30 16:00:00")
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        self.service.with_user(self.manager).action_upsell_extra_hours()
        lines = self.sale.order_line.filtered("service_order_id").sorted("sequence")
        self.assertEqual(lines.mapped("product_uom_qty"), [4.0, 1.0])
        self.assertFalse(self.service.held_hours)
        invoice = self._invoice()
        self.assertEqual(sum(invoice.invoice_line_ids.mapped("quantity")), 5.0)
        invoice.action_post()
        self.assertEqual(sum(lines.mapped("qty_delivered")), sum(lines.mapped("qty_invoiced")))
        self.assertEqual(self.service.invoice_status, "invoiced")

    def test_hours_on_several_time_lines(self):
        sale = self._sell(self.product_actual, 2.0)
        sale.write({"order_line": [(0, 0, {"product_id": self.product_actual.id, "product_uom_qty": 2.0})]})
        service = sale.service_order_ids
        job = self._assign("2026-12-03 08:00:00", "2026-12-03 12:00:00", order=service, state="confirmed")
        self._work("2026-12-03 08:00:00", "2026-12-03 10:00:00", job=job)
        self._work("2026-12-03 10:00:00", "2026-12-03 11:30:00", job=job)
        lines = sale.order_line.sorted("sequence")
        self.assertEqual(lines.mapped("qty_delivered"), [2.0, 1.5])
        invoice = self._invoice(service)
        self.assertEqual(invoice.invoice_line_ids.mapped("quantity"), [2.0, 1.5])
        self.assertEqual(lines.mapped("qty_invoiced"), [2.0, 1.5])

    def test_one_invoice_per_customer(self):
        other_sale = self._sell(self.product_actual, 2.0)
        other = other_sale.service_order_ids
        job = self._assign("2026-12-03 08:00:00", "2026-12-03 12:00:00", order=other, state="confirmed")
        self._work("2026-12-01 08:00:00", "2026-12-01 09:00:00")
        self._work("2026-12-03 08:00:00", "2026-12-03 10:00:00", job=job)
        invoice = self._invoice(self.service | other, grouped=False)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.invoice_line_ids.service_order_id, self.service | other)
        self.assertEqual(self.service.invoice_ids, other.invoice_ids)
