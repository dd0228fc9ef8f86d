import threading
import time

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestClockConcurrency(TransactionCase):
    """Two taps on Arrive reach two workers at the same moment, each in its own transaction. The
    second one's snapshot cannot see the first one's record, so only the database can refuse it:
    exactly one time record is created, and the other tap gets a clear message."""

    def _committed(self, func):
        with self.registry.cursor() as cr:
            result = func(api.Environment(cr, api.SUPERUSER_ID, {}))
            cr.commit()  # pylint: disable=invalid-commit
        return result

    def _cleanup(self, ids):
        def delete(env):
            env["service.attendance.event"].search([("assignment_id", "=", ids["assignment"])]).unlink()
            env["service.attendance"].search([("assignment_id", "=", ids["assignment"])]).unlink()
            env["service.assignment"].browse(ids["assignment"]).unlink()
            order = env["service.order"].browse(ids["order"])
            order._set_state("cancelled")
            order.unlink()
            env["hr.employee"].browse(ids["employee"]).unlink()
            env["res.partner"].browse(ids["partner"]).unlink()

        self._committed(delete)

    def _tap(self, env, outcomes, name, before_commit=None):
        try:
            env["service.assignment"].browse(self.ids["assignment"]).action_clock_in()
            env.flush_all()
            if before_commit:
                before_commit()
            env.cr.commit()  # pylint: disable=invalid-commit
            outcomes[name] = "committed"
        except Exception as error:  # the test asserts which error it was
            env.cr.rollback()
            outcomes[name] = error

    def test_double_tap_creates_one_record(self):
        def fixtures(env):
            partner = env["res.partner"].create({"name": "Double Tap Ltd"})
            order = env["service.order"].create({"partner_id": partner.id, "sold_hours": 8.0})
            employee = env["hr.employee"].create({"name": "Tina Tap"})
            assignment = env["service.assignment"].create(
                {
                    "service_order_id": order.id,
                    "employee_id": employee.id,
                    "date_start": "2026-11-30 08:00:00",
                    "date_end": "2026-11-30 12:00:00",
                    "state": "confirmed",
                }
            )
            return {
                "partner": partner.id,
                "order": order.id,
                "employee": employee.id,
                "assignment": assignment.id,
            }

        self.ids = self._committed(fixtures)
        self.addCleanup(self._cleanup, self.ids)
        outcomes = {}
        first_done = threading.Event()
        first_cr, second_cr, watch_cr = (self.registry.cursor() for _i in range(3))
        try:
            second_cr.execute("SELECT pg_backend_pid()")
            second_pid = second_cr.fetchone()[0]
            first_env, second_env = (
                api.Environment(cr, api.SUPERUSER_ID, {}) for cr in (first_cr, second_cr)
            )

            def hold_until_second_waits():
                first_done.set()
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    watch_cr.execute(
                        "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (second_pid,)
                    )
                    blocked = watch_cr.fetchone()[0] == "Lock"
                    watch_cr.rollback()
                    if blocked:
                        return
                    time.sleep(0.05)

            def second():
                first_done.wait(timeout=10)
                self._tap(second_env, outcomes, "second")

            workers = [
                threading.Thread(
                    target=self._tap, args=(first_env, outcomes, "first", hold_until_second_waits)
                ),
                threading.Thread(target=second),
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
        self.assertIsInstance(outcomes.get("second"), UserError, outcomes)
        self.assertIn("already clocked in", str(outcomes["second"]))
        count = self._committed(
            lambda env: env["service.attendance"].search_count(
                [("assignment_id", "=", self.ids["assignment"])]
            )
        )
        self.assertEqual(count, 1)
