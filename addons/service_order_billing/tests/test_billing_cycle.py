from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ServiceBillingCommon


@tagged("post_install", "-at_install")
class TestBillingCycle(ServiceBillingCommon):
    def test_full_cycle_until_paid(self):
        self.assertEqual(self.service.billing_policy, "actual")
        self.assertEqual(self.sale_line().qty_delivered_method, "service_order")
        morning = self._work("2026-11-30 08:00:00", "2026-11-30 10:00:00")
        afternoon = self._work("2026-11-30 13:00:00", "2026-11-30 14:30:00")
        self.assertHours(self.sale_line(), 3.5, 0.0, 3.5)
        self.assertEqual(self.service.invoice_status, "to invoice")

        invoice = self._invoice()
        self.assertEqual(len(invoice), 1)
        line = invoice.invoice_line_ids
        self.assertEqual(line.service_order_id, self.service)
        self.assertAlmostEqual(line.quantity, 3.5)
        self.assertIn(self.service.name, line.name)
        self.assertIn("2026-11-30 Ada Fixer 2.00 h", line.name)
        self.assertEqual((morning | afternoon).invoice_line_id, line)
        self.assertFalse(morning.is_invoiced, "drafts do not lock... posting does")
        self.assertHours(self.sale_line(), 3.5, 3.5, 0.0)
        self.assertEqual(self.service.invoice_ids, invoice)

        invoice.with_user(self.accountant).action_post()
        self.assertTrue(morning.is_invoiced and afternoon.is_invoiced)
        self.assertEqual(self.service.payment_state, "not_paid")

        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.env.invalidate_all()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.service.payment_state, invoice.payment_state)

    def test_wizard_invoices_up_to_a_date_per_customer(self):
        other = self._sell(self.product_actual, 2.0).service_order_ids
        job = self._assign("2026-12-03 08:00:00", "2026-12-03 12:00:00", order=other, state="confirmed")
        self._work("2026-11-30 13:00:00", "2026-11-30 14:00:00")
        self._work("2026-12-03 08:00:00", "2026-12-03 09:00:00", job=job)
        later = self._work("2026-12-04 08:00:00", "2026-12-04 09:00:00", job=job)
        wizard = (
            self.env["service.order.invoice.wizard"]
            .with_user(self.accountant)
            .with_context(active_model="service.order", active_ids=(self.service | other).ids)
            .create({"date_until": "2026-12-03", "grouping": "customer"})
        )
        self.assertEqual(wizard.service_order_ids, self.service | other)
        action = wizard.action_create_invoices()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.invoice_line_ids.service_order_id, self.service | other)
        self.assertEqual(sum(invoice.invoice_line_ids.mapped("quantity")), 2.0)
        self.assertFalse(later.invoice_line_id, "recorded after the date")

    def test_send_from_the_order_with_odoo_wizard(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        as_accountant = self.service.with_user(self.accountant)
        with self.assertRaisesRegex(UserError, "Post the invoices"):
            as_accountant.action_send_invoices()
        self._invoice().action_post()
        action = as_accountant.action_send_invoices()
        self.assertEqual(action["res_model"], "account.move.send.wizard")
        self.assertEqual(action["context"]["active_ids"], self.service.invoice_ids.ids)
