from odoo.addons.service_order.tests.concurrency import TwoWorkersCase
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestClockConcurrency(TwoWorkersCase):
    """Two taps on Arrive reach two workers at the same moment, each in its own transaction. The
    second one's snapshot cannot see the first one's record, so only the database can refuse it:
    exactly one time record is created, and the other tap gets a clear message."""

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
            return partner.id, order.id, employee.id, assignment.id

        partner_id, order_id, employee_id, assignment_id = self.committed(fixtures)

        def cleanup(env):
            env["service.attendance.event"].search([("assignment_id", "=", assignment_id)]).unlink()
            env["service.attendance"].search([("assignment_id", "=", assignment_id)]).unlink()
            env["service.assignment"].browse(assignment_id).unlink()
            order = env["service.order"].browse(order_id)
            order._set_state("cancelled")
            order.unlink()
            env["hr.employee"].browse(employee_id).unlink()
            env["res.partner"].browse(partner_id).unlink()

        self.addCleanup(self.committed, cleanup)

        def tap(env):
            env["service.assignment"].browse(assignment_id).action_clock_in()

        outcomes = self.race(tap, tap)
        self.assertEqual(outcomes.get("first"), "committed", outcomes)
        self.assertIsInstance(outcomes.get("second"), UserError, outcomes)
        self.assertIn("already clocked in", str(outcomes["second"]))
        count = self.committed(
            lambda env: env["service.attendance"].search_count([("assignment_id", "=", assignment_id)])
        )
        self.assertEqual(count, 1)
