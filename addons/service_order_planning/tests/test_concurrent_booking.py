from psycopg2 import errors

from odoo.addons.service_order.tests.concurrency import TwoWorkersCase
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrentBooking(TwoWorkersCase):
    """Two workers book the same person at the same time, each in its own transaction: the
    Python checks cannot see the other's uncommitted row, so the bookings of one person queue on
    a lock of their row (the second is retried and sees the first), and the exclusion constraint
    refuses overlaps whatever goes around the ORM."""

    def _cleanup(self, order_ids, employee_id, partner_id):
        def delete(env):
            env["service.assignment"].search([("service_order_id", "in", order_ids)]).unlink()
            env["service.order"].browse(order_ids).unlink()
            env["hr.employee"].browse(employee_id).unlink()
            env["res.partner"].browse(partner_id).unlink()

        self.committed(delete)

    def _two_orders(self, buffer=0):
        """Two orders of one customer at two sites, a person to book, and the company's travel
        buffer set to ``buffer`` minutes (restored at cleanup)."""

        def fixtures(env):
            partner = env["res.partner"].create({"name": "Race Condition Ltd", "is_company": True})
            sites = env["res.partner"].create(
                [{"name": f"Site {i}", "type": "delivery", "parent_id": partner.id} for i in (1, 2)]
            )
            orders = env["service.order"].create(
                [{"partner_id": partner.id, "site_id": site.id, "sold_hours": 8.0} for site in sites]
            )
            employee = env["hr.employee"].create({"name": "Rita Race"})
            company = env.company
            old_buffer = company.service_travel_buffer
            company.service_travel_buffer = buffer
            return orders.ids, employee.id, partner.id, sites.ids, company.id, old_buffer

        order_ids, employee_id, partner_id, site_ids, company_id, old_buffer = self.committed(fixtures)

        def cleanup(env):
            env["res.company"].browse(company_id).service_travel_buffer = old_buffer
            env["service.assignment"].search([("service_order_id", "in", order_ids)]).unlink()
            env["service.order"].browse(order_ids).unlink()
            env["hr.employee"].browse(employee_id).unlink()
            env["res.partner"].browse([*site_ids, partner_id]).unlink()

        self.addCleanup(self.committed, cleanup)

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

        def bookings():
            return self.committed(
                lambda env: [
                    str(b["date_start"])
                    for b in env["service.assignment"].search_read(
                        [("service_order_id", "in", order_ids)], ["date_start"], order="date_start"
                    )
                ]
            )

        return order_ids, employee_id, book, bookings

    def _race_second_booking(self, second_start, second_end, buffer=0):
        """Two workers book one person on two orders at the same moment: 08:00-12:00, and
        ``second_start`` to ``second_end``. The second fails to serialise on the person, and its
        retry sees the first booking. Returns the retry's outcome."""
        order_ids, _employee_id, book, bookings = self._two_orders(buffer=buffer)
        outcomes = self.race(
            book(order_ids[0], "2026-11-30 08:00:00", "2026-11-30 12:00:00"),
            book(order_ids[1], second_start, second_end),
        )
        self.assertEqual(outcomes.get("first"), "committed", outcomes)
        self.assertIsInstance(outcomes.get("second"), errors.SerializationFailure, outcomes)
        self.assertIsInstance(outcomes.get("retry"), ValidationError, outcomes)
        self.assertEqual(bookings(), ["2026-11-30 08:00:00"])
        return str(outcomes["retry"])

    def test_only_one_of_two_simultaneous_bookings_commits(self):
        # Two orders: two bookings of one order already queue on the order (_check_orders_open).
        retry = self._race_second_booking("2026-11-30 10:00:00", "2026-11-30 14:00:00")
        self.assertIn("already booked", retry)

    def test_travel_buffer_holds_between_simultaneous_bookings(self):
        """The travel buffer is a Python check: without the lock on the person, both bookings
        would commit ten minutes apart."""
        retry = self._race_second_booking("2026-11-30 12:10:00", "2026-11-30 14:00:00", buffer=30)
        self.assertIn("travel buffer of 30 minutes", retry)

    def test_exclusion_constraint_names_the_booking(self):
        """The last line of defence, for writes that go around the ORM's checks: the database
        refuses the overlap, and the message names the person and the times."""
        order_ids, employee_id, book, _bookings = self._two_orders()
        self.committed(book(order_ids[0], "2026-11-30 08:00:00", "2026-11-30 12:00:00"))
        with (
            self.registry.cursor() as cr,
            mute_logger("odoo.sql_db"),
            self.assertRaises(errors.ExclusionViolation) as caught,
        ):
            cr.execute(
                """
                INSERT INTO service_assignment
                       (service_order_id, employee_id, company_id, date_start, date_end, planned_hours, state)
                SELECT id, %s, company_id, '2026-11-30 10:00:00', '2026-11-30 14:00:00', 4, 'planned'
                  FROM service_order WHERE id = %s
                """,
                (employee_id, order_ids[1]),
            )
        message = self.env["service.assignment"]._sql_error_to_message(caught.exception)
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
