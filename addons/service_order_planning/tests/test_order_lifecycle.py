from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import ServicePlanningCommon

MONDAY_MORNING = ("2026-11-30 08:00:00", "2026-11-30 12:00:00")


@tagged("post_install", "-at_install")
class TestOrderLifecycle(ServicePlanningCommon):
    """What happens to the assignments when their order is over, moves to another site or to
    another company."""

    def _free_monday_mornings(self, employee):
        slots = self.Assignment.with_user(self.dispatcher).get_free_slots(
            employee.ids, "2026-11-30 00:00:00", "2026-12-01 00:00:00"
        )
        return [(slot["start"], slot["end"]) for slot in slots if slot["start"] < "2026-11-30 12:00:00"]

    def test_cancel_frees_open_assignments_and_keeps_done_ones(self):
        done = self._assign("2026-11-27 08:00:00", "2026-11-27 12:00:00", state="confirmed")
        done.action_done()
        planned = self._assign(*MONDAY_MORNING)
        confirmed = self._assign(*MONDAY_MORNING, employee=self.brussels_employee, state="confirmed")
        # 09:00 to 13:00 in Brussels holds 3 working hours.
        self.assertEqual(self.order.planned_hours, 11.0)
        self.assertEqual(self._free_monday_mornings(self.tech_employee), [])

        self.order.with_user(self.dispatcher).action_cancel()

        self.assertEqual((planned | confirmed).mapped("state"), ["cancelled", "cancelled"])
        self.assertEqual(done.state, "done", "what was done stays done")
        self.assertEqual(self.order.planned_hours, 4.0, "only the done assignment still counts")
        self.assertEqual(
            self._free_monday_mornings(self.tech_employee), [MONDAY_MORNING], "the slot is free again"
        )
        rebooked = self._assign(*MONDAY_MORNING, order=self._create_order())
        self.assertEqual(rebooked.state, "planned")
        note = self.order.message_ids.filtered(lambda m: "free again" in m.body).body
        self.assertIn("Ada Fixer, 2026-11-30 08:00 (UTC) to 2026-11-30 12:00 (UTC)", note)
        self.assertIn("Bram Peeters, 2026-11-30 09:00 (Europe/Brussels)", note)
        self.assertNotIn("2026-11-27", note, "the done assignment was not cancelled")

    def test_finishing_frees_the_colleagues_bookings(self):
        """A technician may finish their order: the bookings of colleagues they cannot even see
        are freed as well."""
        own = self._assign("2026-11-27 08:00:00", "2026-11-27 12:00:00", state="confirmed")
        colleague = self._assign(*MONDAY_MORNING, employee=self.brussels_employee, state="confirmed")
        own.action_done()
        self.order.with_user(self.technician).action_done()
        self.assertEqual(self.order.state, "done")
        self.assertEqual(colleague.state, "cancelled")
        self.assertEqual(own.state, "done")
        self.assertEqual(self.order.planned_hours, 4.0)
        board = self.Assignment.get_capacity_board(
            "2026-11-30", "2026-11-30", employee_ids=self.brussels_employee.ids
        )
        self.assertEqual(board["employees"][0]["cells"][0]["booked"], 0.0)

    def test_closed_orders_refuse_bookings(self):
        done_order = self._create_order()
        worked = self._assign(
            "2026-11-27 08:00:00", "2026-11-27 12:00:00", order=done_order, state="confirmed"
        )
        worked.action_done()
        self._assign(*MONDAY_MORNING, order=done_order, state="confirmed")
        done_order.with_user(self.dispatcher).action_done()
        with self.assertRaisesRegex(ValidationError, rf"{done_order.name} \(Done\)"):
            worked.with_user(self.dispatcher).date_end = "2026-11-27 13:00:00"
        cancelled_order = self._create_order()
        cancelled = self._assign("2026-12-01 08:00:00", "2026-12-01 12:00:00", order=cancelled_order)
        cancelled_order.with_user(self.dispatcher).action_cancel()
        self.assertEqual(cancelled.state, "cancelled")
        Assignment = self.Assignment.with_user(self.dispatcher)
        for order, label in ((done_order, "Done"), (cancelled_order, "Cancelled")):
            with self.assertRaisesRegex(ValidationError, rf"{order.name} \({label}\)"):
                Assignment.create(
                    {
                        "service_order_id": order.id,
                        "employee_id": self.tech_employee.id,
                        "date_start": "2026-12-03 08:00:00",
                        "date_end": "2026-12-03 12:00:00",
                    }
                )
        # In a batch, one closed order refuses the whole batch.
        with self.assertRaisesRegex(ValidationError, cancelled_order.name):
            Assignment.create(
                [
                    {
                        "service_order_id": order.id,
                        "employee_id": self.tech_employee.id,
                        "date_start": f"2026-12-0{day} 08:00:00",
                        "date_end": f"2026-12-0{day} 12:00:00",
                    }
                    for order, day in ((self.order, 3), (cancelled_order, 4))
                ]
            )
        self.assertFalse(self.order.assignment_ids)
        moved = Assignment.create(
            {
                "service_order_id": self.order.id,
                "employee_id": self.tech_employee.id,
                "date_start": "2026-12-03 08:00:00",
                "date_end": "2026-12-03 12:00:00",
            }
        )
        with self.assertRaisesRegex(ValidationError, rf"{done_order.name} \(Done\)"):
            moved.service_order_id = done_order
        self.assertEqual(moved.service_order_id, self.order)
        cancelled = cancelled.with_user(self.dispatcher)
        with self.assertRaisesRegex(ValidationError, rf"{cancelled_order.name} \(Cancelled\)"):
            cancelled.action_reset()
        with self.assertRaisesRegex(ValidationError, rf"{cancelled_order.name} \(Cancelled\)"):
            cancelled.write({"state": "planned", "date_start": "2026-12-01 09:00:00"})
        with self.assertRaisesRegex(ValidationError, rf"{cancelled_order.name} \(Cancelled\)"):
            cancelled.write({"state": "planned", "employee_id": self.brussels_employee.id})
        self.assertEqual(cancelled.state, "cancelled")
        cancelled.notes = "Customer closed for renovation"
        cancelled_order.with_user(self.dispatcher).action_draft()
        cancelled.action_reset()
        self.assertEqual(cancelled.state, "planned", "once the order is reopened, it can be booked again")

    def test_site_change_moves_only_open_assignments(self):
        done = self._assign("2026-11-27 08:00:00", "2026-11-27 12:00:00", state="confirmed")
        done.action_done()
        cancelled = self._assign("2026-11-27 13:00:00", "2026-11-27 17:00:00")
        cancelled.action_cancel()
        planned = self._assign(*MONDAY_MORNING)
        self.order.with_user(self.dispatcher).site_id = self.other_site
        self.assertEqual(planned.site_id, self.other_site)
        self.assertEqual(done.site_id, self.customer_site, "the work was done at the old site")
        self.assertEqual(cancelled.site_id, self.customer_site)

    def test_site_change_checks_the_travel_buffer(self):
        self.company.service_travel_buffer = 30
        self._assign(*MONDAY_MORNING)
        other_order = self._create_order(site_id=self.customer_site.id)
        after = self._assign("2026-11-30 12:15:00", "2026-11-30 14:00:00", order=other_order)
        # assertRaises, unlike assertRaisesRegex, rolls back what the refused write did.
        with self.assertRaises(ValidationError) as caught:
            other_order.with_user(self.dispatcher).site_id = self.other_site
        self.assertRegex(
            str(caught.exception),
            rf"Ada Fixer cannot work on {other_order.name} .*travel buffer of 30 minutes",
        )
        self.assertEqual(other_order.site_id, self.customer_site)
        self.assertEqual(after.site_id, self.customer_site)
        after.action_cancel()
        other_order.with_user(self.dispatcher).site_id = self.other_site
        self.assertEqual(other_order.site_id, self.other_site, "nothing left to travel between")

    def test_company_move_refused_with_assignments(self):
        other_company = self.env["res.company"].create({"name": "Other Services"})
        dispatcher = new_test_user(
            self.env,
            "svc_test_two_companies",
            "service_order.group_service_dispatcher",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | other_company).ids)],
        )
        booked = self._create_order()
        self._assign(*MONDAY_MORNING, order=booked).action_cancel()
        empty = self._create_order()
        orders = (
            (booked | empty)
            .with_user(dispatcher)
            .with_context(allowed_company_ids=(self.company | other_company).ids)
        )
        with self.assertRaises(UserError) as caught:
            orders.company_id = other_company
        self.assertIn(f"{booked.name} cannot move to Other Services", str(caught.exception))
        self.assertNotIn(empty.name, str(caught.exception))
        self.assertEqual(booked.company_id, self.company)
        orders[1].company_id = other_company
        self.assertEqual(empty.company_id, other_company)

    def test_cancelling_many_orders_query_budget(self):
        orders = self.env["service.order"].create(
            [{"partner_id": self.customer.id, "sold_hours": 4.0} for _index in range(50)]
        )
        self.Assignment.create(
            [
                {
                    "service_order_id": order.id,
                    "employee_id": self.tech_employee.id,
                    "date_start": f"2027-01-01 {index % 10:02d}:00:00",
                    "date_end": f"2027-01-01 {index % 10:02d}:30:00",
                }
                for index, order in enumerate(orders)
                if index < 10
            ]
            + [
                {
                    "service_order_id": order.id,
                    "employee_id": self.brussels_employee.id,
                    "date_start": f"2027-01-{index // 10 + 1:02d} {index % 10 + 10:02d}:00:00",
                    "date_end": f"2027-01-{index // 10 + 1:02d} {index % 10 + 10:02d}:30:00",
                }
                for index, order in enumerate(orders)
            ]
        )
        orders = orders.with_user(self.dispatcher)
        self.env.flush_all()
        self.env.invalidate_all()
        # Without the tracking messages that mail writes at commit, two per record; with every
        # module of the suite installed (billing reads the orders' invoices and their sale lines'
        # invoiced quantities on a cancel).
        with self.assertQueryCount(28, flush=False):
            orders.action_cancel()
            self.env.flush_all()
        self.assertEqual(set(orders.assignment_ids.mapped("state")), {"cancelled"})
        self.assertEqual(sum(orders.mapped("planned_hours")), 0.0)
        self.assertEqual(len(orders.message_ids.filtered(lambda m: "free again" in m.body)), 50)
