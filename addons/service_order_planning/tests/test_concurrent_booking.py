import threading
import time

from psycopg2 import errors

from odoo import api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrentBooking(TransactionCase):
    """Two workers book the same person at the same time, each in its own transaction: the
    Python check cannot see the other's uncommitted row, so only the exclusion constraint can
    refuse the second booking."""

    def _committed(self, func):
        with self.registry.cursor() as cr:
            result = func(api.Environment(cr, api.SUPERUSER_ID, {}))
            # The fixtures must be visible to the two other transactions.
            cr.commit()  # pylint: disable=invalid-commit
        return result

    def _cleanup(self, order_id, employee_id, partner_id):
        def delete(env):
            env["service.assignment"].search([("service_order_id", "=", order_id)]).unlink()
            env["service.order"].browse(order_id).unlink()
            env["hr.employee"].browse(employee_id).unlink()
            env["res.partner"].browse(partner_id).unlink()

        self._committed(delete)

    def test_only_one_of_two_simultaneous_bookings_commits(self):
        def fixtures(env):
            partner = env["res.partner"].create({"name": "Race Condition Ltd"})
            order = env["service.order"].create({"partner_id": partner.id, "sold_hours": 8.0})
            employee = env["hr.employee"].create({"name": "Rita Race"})
            return order.id, employee.id, partner.id

        order_id, employee_id, partner_id = self._committed(fixtures)
        self.addCleanup(self._cleanup, order_id, employee_id, partner_id)

        first_inserted = threading.Event()
        outcomes = {}

        def book(env, name, span, wait_for=None, signal=None):
            start, end = span
            try:
                if wait_for:
                    wait_for.wait(timeout=10)
                env["service.assignment"].create(
                    {
                        "service_order_id": order_id,
                        "employee_id": employee_id,
                        "date_start": start,
                        "date_end": end,
                    }
                )
                env.flush_all()
                if signal:
                    signal.set()
                    # Keep the transaction open until the other worker, past its Python check,
                    # waits on this uncommitted row in the exclusion index.
                    wait_until_blocked()
                env.cr.commit()  # pylint: disable=invalid-commit
                outcomes[name] = "committed"
            except Exception as error:
                env.cr.rollback()
                outcomes[name] = error
            finally:
                if signal:
                    signal.set()

        # The environments are built here: building one takes the registry lock, which the test
        # runner holds in this thread.
        cursors = [self.registry.cursor(), self.registry.cursor(), self.registry.cursor()]
        watch_cr = cursors[2]
        # Its first statement also takes the second worker's snapshot, before the first booking
        # exists: as for two requests that start at the same moment.
        cursors[1].execute("SELECT pg_backend_pid()")
        second_pid = cursors[1].fetchone()[0]

        def wait_until_blocked():
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                watch_cr.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (second_pid,))
                blocked = watch_cr.fetchone()[0] == "Lock"
                watch_cr.rollback()
                if blocked:
                    return
                time.sleep(0.05)

        try:
            first_env, second_env = (api.Environment(cr, api.SUPERUSER_ID, {}) for cr in cursors[:2])
            workers = [
                threading.Thread(
                    target=book,
                    args=(first_env, "first", ("2026-11-30 08:00:00", "2026-11-30 12:00:00")),
                    kwargs={"signal": first_inserted},
                ),
                threading.Thread(
                    target=book,
                    args=(second_env, "second", ("2026-11-30 10:00:00", "2026-11-30 14:00:00")),
                    kwargs={"wait_for": first_inserted},
                ),
            ]
            with mute_logger("odoo.sql_db"):
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join(timeout=30)
        finally:
            for cr in cursors:
                cr.close()
        self.assertEqual(outcomes.get("first"), "committed", outcomes)
        self.assertIsInstance(
            outcomes.get("second"), errors.ExclusionViolation, "the database refused the second booking"
        )

        def committed_bookings(env):
            return env["service.assignment"].search_read(
                [("service_order_id", "=", order_id)], ["date_start"]
            )

        bookings = self._committed(committed_bookings)
        self.assertEqual([str(b["date_start"]) for b in bookings], ["2026-11-30 08:00:00"])
        message = self.env["service.assignment"]._sql_error_to_message(outcomes["second"])
        self.assertRegex(message, r"Rita Race was booked from 2026-11-30 \d\d:00 .* by someone else")
