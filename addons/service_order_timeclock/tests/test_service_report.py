import subprocess
import tempfile

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common_job import JobCommon, png_base64

SERVICE_REPORT = "service_order_timeclock.service_report_action"


def pdf_text(pdf):
    """The text of a PDF, as poppler's pdftotext reads it (installed by scripts/dev.sh)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
        pdf_file.write(pdf)
        pdf_file.flush()
        return subprocess.run(
            ["pdftotext", pdf_file.name, "-"], capture_output=True, check=True, text=True
        ).stdout


@tagged("post_install", "-at_install")
class TestServiceReport(HttpCase, JobCommon):
    """wkhtmltopdf loads the report's styles from the test server: hence an HttpCase."""

    def _complete_the_job(self):
        self.env["service.attendance"].create(
            [
                {
                    "employee_id": self.tech_employee.id,
                    "assignment_id": self.assignment.id,
                    "kind": kind,
                    "check_in": check_in,
                    "check_out": check_out,
                }
                for kind, check_in, check_out in (
                    ("travel", "2026-11-30 07:30:00", "2026-11-30 08:00:00"),
                    ("work", "2026-11-30 08:00:00", "2026-11-30 10:30:00"),
                )
            ]
        )
        self.gas_check.with_user(self.technician).action_toggle()
        order = self.order.with_user(self.technician)
        order.action_add_photo(png_base64(40, 30), name="Boiler after service")
        order.action_sign(png_base64(60, 20), "Jane Acme")
        self.order.with_user(self.dispatcher).action_start()
        self.order.with_user(self.dispatcher).with_context(force_report_rendering=True).action_done()

    def test_completed_job_keeps_its_signed_pdf_report(self):
        self._complete_the_job()
        report = self.env["ir.attachment"].search(
            [("res_model", "=", "service.order"), ("res_id", "=", self.order.id)]
        )
        self.assertEqual(report.name, f"Service Report - {self.order.name}.pdf")
        self.assertEqual(report.mimetype, "application/pdf")
        text = pdf_text(report.raw)
        for expected in (
            f"Service Report {self.order.name}",
            "Acme Facilities",
            "Acme Warehouse",
            "Ada Fixer",
            "02:30",
            "[x] Done",
            "Gas leak test passed",
            "[ ] Open",
            "Magnetic filter cleaned",
            "Boiler after service",
            "Signed by Jane Acme",
        ):
            self.assertIn(expected, text)

    def test_report_access_per_group(self):
        reports = self.env["ir.actions.report"]
        html = reports.with_user(self.technician)._render_qweb_html(SERVICE_REPORT, self.order.ids)[0]
        self.assertIn(self.order.name, html.decode())
        with self.assertRaises(AccessError):
            reports.with_user(self.technician)._render_qweb_html(SERVICE_REPORT, self.other_order.ids)
        html = reports.with_user(self.dispatcher)._render_qweb_html(SERVICE_REPORT, self.other_order.ids)[0]
        self.assertIn(self.other_order.name, html.decode())

    def test_service_report_is_sent_to_the_customer(self):
        self.customer.email = "facilities@acme.example.com"
        action = self.order.with_user(self.dispatcher).action_send_service_report()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.dispatcher)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(
            composer.template_id, self.env.ref("service_order_timeclock.mail_template_service_report")
        )
        self.assertEqual(composer.partner_ids, self.customer)
        self.assertIn(f"Service Report {self.order.name}", composer.subject)
        self.assertEqual(len(composer.attachment_ids), 1)
        self.assertTrue(composer.attachment_ids.name.startswith(f"Service Report - {self.order.name}"))
        composer._action_send_mail()
        message = self.order.message_ids[0]
        self.assertEqual(message.partner_ids, self.customer)
        self.assertEqual(len(message.attachment_ids), 1)
