from odoo.tests import HttpCase, tagged

from .common import ServiceBillingCommon


@tagged("post_install", "-at_install")
class TestBillingUi(HttpCase, ServiceBillingCommon):
    def test_accountant_invoices_posts_and_sends(self):
        self.customer.email = "accounts@acme.example.com"
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        self.env["ir.attachment"].create(
            {
                "name": f"Service Report - {self.service.name}.pdf",
                "res_model": "service.order",
                "res_id": self.service.id,
                "raw": b"%PDF-1.4 service report",
                "mimetype": "application/pdf",
            }
        )
        self.start_tour(
            f"/odoo/service.order/{self.service.id}",
            "service_billing_accountant_tour",
            login=self.accountant.login,
        )
        invoice = self.service.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(self.service.attendance_ids.is_invoiced)
        self.assertTrue(invoice.is_move_sent)
        sent = invoice.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertIn(f"Service Report - {self.service.name}.pdf", sent.attachment_ids.mapped("name"))
