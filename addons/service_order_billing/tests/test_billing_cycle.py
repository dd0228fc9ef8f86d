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
