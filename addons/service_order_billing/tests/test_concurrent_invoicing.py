from psycopg2 import errors

from odoo.addons.service_order.tests.concurrency import TwoWorkersCase
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestConcurrentInvoicing(TwoWorkersCase):
    """Two workers invoice the same service order at the same moment, each in its own
    transaction: one invoice is made, the other worker fails to serialise and, run again as
    Odoo's request handler does, finds nothing left to invoice."""

    def _fixtures(self, env):
        partner = env["res.partner"].create({"name": "Race Invoicing Ltd"})
        product = env["product.product"].create(
            {
                "name": "Race hour",
                "type": "service",
                "uom_id": env.ref("uom.product_uom_hour").id,
                "list_price": 100.0,
                "invoice_policy": "delivery",
                "generate_service_order": True,
                "taxes_id": [Command.clear()],
            }
        )
        sale = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 4})],
            }
        )
        sale.action_confirm()
        employee = env["hr.employee"].create({"name": "Rita Race"})
        assignment = env["service.assignment"].create(
            {
                "service_order_id": sale.service_order_ids.id,
                "employee_id": employee.id,
                "date_start": "2026-11-30 08:00:00",
                "date_end": "2026-11-30 12:00:00",
            }
        )
        env["service.attendance"].create(
            {
                "employee_id": employee.id,
                "assignment_id": assignment.id,
                "check_in": "2026-11-30 08:00:00",
                "check_out": "2026-11-30 10:00:00",
            }
        )
        return {
            "sale": sale.id,
            "service": sale.service_order_ids.id,
            "employee": employee.id,
            "product": product.id,
        }

    def _cleanup(self, ids):
        def delete(env):
            service = env["service.order"].browse(ids["service"])
            moves = service.billing_line_ids.move_id
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.unlink()
            service.attendance_ids.unlink()
            service.assignment_ids.unlink()
            sale = env["sale.order"].browse(ids["sale"])
            sale.with_context(disable_cancel_warning=True).action_cancel()
            sale.unlink()
            service.unlink()
            env["hr.employee"].browse(ids["employee"]).unlink()
            env["product.product"].browse(ids["product"]).unlink()

        self.committed(delete)

    @staticmethod
    def _invoice(service_id):
        def invoice(env):
            admin = env.ref("base.user_admin")
            env(user=admin)["service.order"].browse(service_id).action_create_invoice()

        return invoice

    @staticmethod
    def _cancel(service_id):
        def cancel(env):
            admin = env.ref("base.user_admin")
            env(user=admin)["service.order"].browse(service_id).action_cancel()

        return cancel

    def _state_and_invoices(self, service_id):
        def read(env):
            service = env["service.order"].browse(service_id)
            return service.state, len(service.sudo().billing_line_ids.move_id)

        return self.committed(read)

    def test_invoicing_while_cancelling(self):
        ids = self.committed(self._fixtures)
        self.addCleanup(self._cleanup, ids)
        outcomes = self.race(self._invoice(ids["service"]), self._cancel(ids["service"]))
        self.assertEqual(outcomes.get("first"), "committed", outcomes)
        self.assertIsInstance(outcomes.get("second"), errors.SerializationFailure, outcomes)
        self.assertRegex(str(outcomes.get("retry")), "hours on a draft invoice")
        self.assertEqual(self._state_and_invoices(ids["service"]), ("draft", 1))

    def test_cancelling_while_invoicing(self):
        ids = self.committed(self._fixtures)
        self.addCleanup(self._cleanup, ids)
        outcomes = self.race(self._cancel(ids["service"]), self._invoice(ids["service"]))
        self.assertEqual(outcomes.get("first"), "committed", outcomes)
        self.assertIsInstance(outcomes.get("second"), errors.SerializationFailure, outcomes)
        self.assertRegex(str(outcomes.get("retry")), "cannot be invoiced: .* is Cancelled")
        self.assertEqual(self._state_and_invoices(ids["service"]), ("cancelled", 0))

    def test_two_workers_make_one_invoice(self):
        ids = self.committed(self._fixtures)
        self.addCleanup(self._cleanup, ids)
        outcomes = self.race(self._invoice(ids["service"]), self._invoice(ids["service"]))
        self.assertEqual(outcomes.get("first"), "committed", outcomes)
        self.assertIsInstance(outcomes.get("second"), errors.SerializationFailure, outcomes)
        # Run again, as Odoo's request handler does: nothing is left to invoice.
        self.assertIsInstance(outcomes.get("retry"), UserError, outcomes)

        def invoices(env):
            service = env["service.order"].browse(ids["service"])
            moves = service.sudo().billing_line_ids.move_id
            return (
                len(moves),
                sum(moves.invoice_line_ids.mapped("quantity")),
                len(service.attendance_ids.invoice_line_id),
            )

        self.assertEqual(self.committed(invoices), (1, 2.0, 1))
