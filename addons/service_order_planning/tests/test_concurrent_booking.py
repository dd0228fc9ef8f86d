import threading
import time

from psycopg2 import errors

from odoo import api
from odoo.exceptions import ValidationError
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

    def _cleanup(self, order_ids, employee_id, partner_id):
        def delete(env):
            env["service.assignment"].search([("service_order_id", "in", order_ids)]).unlink()
            env["service.order"].browse(order_ids).unlink()
            env["hr.employee"].browse(employee_id).unlink()
            env["res.partner"].browse(partner_id).unlink()

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
    def _book(env, values, outcomes, name, before_commit=None):
        """Book in ``env``'s own transaction and commit; record the outcome under ``name``."""
        try:
            env["service.assignment"].create(values)
            env.flush_all()
            if before_commit:
                before_commit()
            env.cr.commit()  # pylint: disable=invalid-commit
            outcomes[name] = "committed"
        except Exception as error:  # the test asserts which error it was
            env.cr.rollback()
            outcomes[name] = error

    def test_only_one_of_two_simultaneous_bookings_commits(self):
        # Two orders: two bookings of one order already queue on the order (_check_orders_open).
        def fixtures(env):
            partner = env["res.partner"].create({"name": "Race Condition Ltd"})
            orders = env["service.order"].create([{"partner_id": partner.id, "sold_hours": 8.0}] * 2)
            employee = env["hr.employee"].create({"name": "Rita Race"})
            return orders.ids, employee.id, partner.id

        order_ids, employee_id, partner_id = self._committed(fixtures)
        self.addCleanup(self._cleanup, order_ids, employee_id, partner_id)
        booking = {"employee_id": employee_id}
        outcomes = {}
        first_inserted = threading.Event()

        # The environments are built here: building one takes the registry lock, which the test
        # runner holds in this thread.
        first_cr, second_cr, watch_cr = (self.registry.cursor() for _i in range(3))
        try:
            # This first statement takes the second worker's snapshot before the first booking
            # exists, as for two requests that start at the same moment.
            second_cr.execute("SELECT pg_backend_pid()")
            second_pid = second_cr.fetchone()[0]
            first_env, second_env = (
                api.Environment(cr, api.SUPERUSER_ID, {}) for cr in (first_cr, second_cr)
            )

            def hold_until_second_waits():
                first_inserted.set()
                # Commit only once the second worker, past its Python check, waits on this
                # uncommitted row in the exclusion index.
                self._wait_until_blocked(watch_cr, second_pid)

            def second_worker():
                first_inserted.wait(timeout=10)
                self._book(
                    second_env,
                    dict(
                        booking,
                        service_order_id=order_ids[1],
                        date_start="2026-11-30 10:00:00",
                        date_end="2026-11-30 14:00:00",
                    ),
                    outcomes,
                    "second",
                )

            workers = [
                threading.Thread(
                    target=self._book,
                    args=(
                        first_env,
                        dict(
                            booking,
                            service_order_id=order_ids[0],
                            date_start="2026-11-30 08:00:00",
                            date_end="2026-11-30 12:00:00",
                        ),
                        outcomes,
                        "first",
                        hold_until_second_waits,
                    ),
                ),
                threading.Thread(target=second_worker),
            ]
            with mute_logger("odoo.sql_db"):
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join(timeout=30)
        finally:
            first_inserted.set()
            for cr in (first_cr, second_cr, watch_cr):
                cr.close()

        self.assertEqual(outcomes.get("first"), "committed", outcomes)
        self.assertIsInstance(
            outcomes.get("second"), errors.ExclusionViolation, "the database refused the second booking"
        )
        bookings = self._committed(
            lambda env: env["service.assignment"].search_read(
                [("service_order_id", "in", order_ids)], ["date_start"]
            )
        )
        self.assertEqual([str(b["date_start"]) for b in bookings], ["2026-11-30 08:00:00"])
        message = self.env["service.assignment"]._sql_error_to_message(outcomes["second"])
        self.assertRegex(message, r"Rita Race was booked from 2026-11-30 \d\d:00 .* by someone else")

    @staticmethod
    def _run(env, func, outcomes, name, before_commit=None):
        """Run ``func(env)`` in ``env``'s own transaction and commit; record the outcome."""
        try:
            func(env)
            env.flush_all()
            if before_commit:
                before_commit()
            env.cr.commit()  # pylint: disable=invalid-commit
            outcomes[name] = "committed"
        except Exception as error:  # the test asserts which error it was
            env.cr.rollback()
            outcomes[name] = error

    def _race(self, first, second):
        """Two requests that start at the same moment: ``second`` takes its snapshot before
        ``first`` runs, and ``first`` commits only once ``second`` waits on one of its locks.
        Like Odoo's request handler, ``second`` is run again when it fails to serialise. Returns
        the outcome of each try."""
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
                self._wait_until_blocked(watch_cr, second_pid)

            def second_worker():
                first_done.wait(timeout=10)
                self._run(second_env, second, outcomes, "second")

            workers = [
                threading.Thread(
                    target=self._run, args=(first_env, first, outcomes, "first", hold_until_second_waits)
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
        if isinstance(outcomes.get("second"), errors.SerializationFailure):
            with self.registry.cursor() as retry_cr:
                self._run(api.Environment(retry_cr, api.SUPERUSER_ID, {}), second, outcomes, "retry")
        return outcomes

    def _race_fixtures(self):
        def fixtures(env):
            partner = env["res.partner"].create({"name": "Race Condition Ltd"})
            order = env["service.order"].create({"partner_id": partner.id, "sold_hours": 8.0})
            employee = env["hr.employee"].create({"name": "Rita Race"})
            return order.id, employee.id, partner.id

        order_id, employee_id, partner_id = self._committed(fixtures)
        self.addCleanup(self._cleanup, [order_id], employee_id, partner_id)

        def book(env):
            env["service.assignment"].create(
                {
                    "service_order_id": order_id,
                    "employee_id": employee_id,
                    "date_start": "2026-11-30 08:00:00",
                    "date_end": "2026-11-30 12:00:00",
                    # The order's planned hours stay the same: their recompute does not update the
                    # order's row, which would serialise the two transactions by chance.
                    "planned_hours": 0.0,
                }
            )

        def cancel(env):
            env["service.order"].browse(order_id).action_cancel()

        def states(env):
            assignments = env["service.assignment"].search([("service_order_id", "=", order_id)])
            return env["service.order"].browse(order_id).state, assignments.mapped("state")

        return book, cancel, lambda: self._committed(states)

    def test_order_closed_while_being_booked(self):
        """The booking commits first: the close, which started before it, must not miss it."""
        book, cancel, states = self._race_fixtures()
        outcomes = self._race(book, cancel)
        self.assertEqual(outcomes["first"], "committed", outcomes)
        self.assertIsInstance(outcomes["second"], errors.SerializationFailure)
        self.assertEqual(outcomes["retry"], "committed", outcomes)
        self.assertEqual(states(), ("cancelled", ["cancelled"]), "the new booking was freed with the order")

    def test_order_booked_while_being_closed(self):
        """The close commits first: the booking, which started before it, must see it."""
        book, cancel, states = self._race_fixtures()
        outcomes = self._race(cancel, book)
        self.assertEqual(outcomes["first"], "committed", outcomes)
        self.assertIsInstance(outcomes["second"], errors.SerializationFailure)
        self.assertIsInstance(outcomes["retry"], ValidationError)
        self.assertIn("(Cancelled)", str(outcomes["retry"]))
        self.assertEqual(states(), ("cancelled", []), "no booking on the cancelled order")
