from psycopg2 import errors

from odoo.addons.service_order.tests.concurrency import TwoWorkersCase
from odoo.exceptions import ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestConcurrentBooking(TwoWorkersCase):
    """Two workers book the same person at the same time, each in its own transaction: the
    Python check cannot see the other's uncommitted row, so only the exclusion constraint can
    refuse the second booking."""

    def _cleanup(self, order_ids, employee_id, partner_id):
        def delete(env):
            env["service.assignment"].search([("service_order_id", "in", order_ids)]).unlink()
            env["service.order"].browse(order_ids).unlink()
            env["hr.employee"].browse(employee_id).unlink()
            env["res.partner"].browse(partner_id).unlink()

        self.committed(delete)

    def test_only_one_of_two_simultaneous_bookings_commits(self):
        # Two orders: two bookings of one order already queue on the order (_check_orders_open).
        def fixtures(env):
            partner = env["res.partner"].create({"name": "Race Condition Ltd"})
            orders = env["service.order"].create([{"partner_id": partner.id, "sold_hours": 8.0}] * 2)
            employee = env["hr.employee"].create({"name": "Rita Race"})
            return orders.ids, employee.id, partner.id

        order_ids, employee_id, partner_id = self.committed(fixtures)
        self.addCleanup(self._cleanup, order_ids, employee_id, partner_id)

        def book(order_id, start, end):
            def create(env):
                env["service.assignment"].create(
                    {
                        "service_order_id": order_id,
                        "employee_id": employee_id,
                        "date_start": start,
                        "date_end": end,
                    }
                )

            return create

        outcomes = self.race(
            book(order_ids[0], "2026-11-30 08:00:00", "2026-11-30 12:00:00"),
            book(order_ids[1], "2026-11-30 10:00:00", "2026-11-30 14:00:00"),
        )
        self.assertEqual(outcomes.get("first"), "committed", outcomes)
        self.assertIsInstance(
            outcomes.get("second"), errors.ExclusionViolation, "the database refused the second booking"
        )
        bookings = self.committed(
            lambda env: env["service.assignment"].search_read(
                [("service_order_id", "in", order_ids)], ["date_start"]
            )
        )
        self.assertEqual([str(b["date_start"]) for b in bookings], ["2026-11-30 08:00:00"])
        message = self.env["service.assignment"]._sql_error_to_message(outcomes["second"])
        self.assertRegex(message, r"Rita Race was booked from 2026-11-30 \d\d:00 .* by someone else")

    def _race_fixtures(self):
        def fixtures(env):
            partner = env["res.partner"].create({"name": "Race Condition Ltd"})
            order = env["service.order"].create({"partner_id": partner.id, "sold_hours": 8.0})
            employee = env["hr.employee"].create({"name": "Rita Race"})
            return order.id, employee.id, partner.id

        order_id, employee_id, partner_id = self.committed(fixtures)
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

        return book, cancel, lambda: self.committed(states)

    def test_order_closed_while_being_booked(self):
        """The booking commits first: the close, which started before it, must not miss it."""
        book, cancel, states = self._race_fixtures()
        outcomes = self.race(book, cancel)
        self.assertEqual(outcomes["first"], "committed", outcomes)
        self.assertIsInstance(outcomes["second"], errors.SerializationFailure)
        self.assertEqual(outcomes["retry"], "committed", outcomes)
        self.assertEqual(states(), ("cancelled", ["cancelled"]), "the new booking was freed with the order")

    def test_order_booked_while_being_closed(self):
        """The close commits first: the booking, which started before it, must see it."""
        book, cancel, states = self._race_fixtures()
        outcomes = self.race(cancel, book)
        self.assertEqual(outcomes["first"], "committed", outcomes)
        self.assertIsInstance(outcomes["second"], errors.SerializationFailure)
        self.assertIsInstance(outcomes["retry"], ValidationError)
        self.assertIn("(Cancelled)", str(outcomes["retry"]))
        self.assertEqual(states(), ("cancelled", []), "no booking on the cancelled order")
