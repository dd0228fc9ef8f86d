import threading
import time

from psycopg2 import errors

from odoo import api
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrentInvoicing(TransactionCase):
    """Two workers invoice the same service order at the same moment, each in its own
    transaction: one invoice is made, the other worker fails to serialise and, run again as
    Odoo's request handler does, finds nothing left to invoice."""

    def _committed(self, func):
        with self.registry.cursor() as cr:
            result = func(api.Environment(cr, api.SUPERUSER_ID, {}))
            # The fixtures must be visible to the two other transactions.
            cr.commit()  # pylint: disable=invalid-commit
        return result

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

        self._committed(delete)

    @staticmethod
    def _wait_until_blocked(watch_cr, pid):
        """Wait until the backend ``pid`` waits on a lock (at most 10 seconds)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            watch_cr.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,))
            blocked = watch_cr.fetchone()[0] == "Lock"
            watch_cr.rollback()
            if blocked:
                return
            time.sleep(0.05)

    @staticmethod
    def _invoice(env, service_id, outcomes, name, before_commit=None):
        try:
            admin = env.ref("base.user_admin")
            env(user=admin)["service.order"].browse(service_id).action_create_invoice()
            env.flush_all()
            if before_commit:
                before_commit()
            env.cr.commit()  # pylint: disable=invalid-commit
            outcomes[name] = "committed"
        except Exception as error:  # the test asserts which error it was
            env.cr.rollback()
            outcomes[name] = error

    def test_two_workers_make_one_invoice(self):
        ids = self._committed(self._fixtures)
        self.addCleanup(self._cleanup, ids)
        outcomes = {}
        first_done = threading.Event()
        first_cr, second_cr, watch_cr = (self.registry.cursor() for _i in range(3))
        try:
            # The second worker's snapshot is taken before the first invoice exists.
            second_cr.execute("SELECT pg_backend_pid()")
            second_pid = second_cr.fetchone()[0]
            first_env, second_env = (
                api.Environment(cr, api.SUPERUSER_ID, {}) for cr in (first_cr, second_cr)
            )
            # Built here: building an environment takes the registry lock the test runner holds.
            first_env.ref("base.user_admin")
            second_env.ref("base.user_admin")

            def hold_until_second_waits():
                first_done.set()
                self._wait_until_blocked(watch_cr, second_pid)

            def second_worker():
                first_done.wait(timeout=10)
                self._invoice(second_env, ids["service"], outcomes, "second")

            workers = [
                threading.Thread(
                    target=self._invoice,
                    args=(first_env, ids["service"], outcomes, "first", hold_until_second_waits),
                ),
                threading.Thread(target=second_worker),
            ]
            with mute_logger("odoo.sql_db"):
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join(timeout=30)
        finally:
            first_done.set()
            for cr in (first_cr, second_cr, watch_cr):
                cr.close()
        self.assertEqual(outcomes.get("first"), "committed", outcomes)
        self.assertIsInstance(outcomes.get("second"), errors.SerializationFailure, outcomes)
        with self.registry.cursor() as retry_cr:
            self._invoice(api.Environment(retry_cr, api.SUPERUSER_ID, {}), ids["service"], outcomes, "retry")
        self.assertIsInstance(outcomes["retry"], UserError)

        def invoices(env):
            service = env["service.order"].browse(ids["service"])
            moves = service.sudo().billing_line_ids.move_id
            return (
                len(moves),
                sum(moves.invoice_line_ids.mapped("quantity")),
                len(service.attendance_ids.invoice_line_id),
            )

        self.assertEqual(self._committed(invoices), (1, 2.0, 1))
