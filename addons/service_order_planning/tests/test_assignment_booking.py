from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ServicePlanningCommon


@tagged("post_install", "-at_install")
class TestAssignmentBooking(ServicePlanningCommon):
    def test_planned_hours_default_to_working_time_and_roll_up(self):
        day = self._assign("2026-11-30 08:00:00", "2026-11-30 17:00:00")
        self.assertEqual(day.planned_hours, 8.0, "the lunch break is not planned")
        self.assertEqual(day.site_id, self.customer_site, "the site defaults to the order's")
        holiday = self._assign("2026-12-02 08:00:00", "2026-12-02 10:00:00")
        self.assertEqual(holiday.planned_hours, 2.0, "no working time: the whole span counts")
        day.planned_hours = 6.5
        self.assertEqual(self.order.planned_hours, 8.5)
        holiday.action_cancel()
        self.assertEqual(self.order.planned_hours, 6.5, "cancelled assignments do not count")

    def test_overlap_refused_with_names_and_times(self):
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        other_order = self._create_order(sold_hours=4.0)
        with self.assertRaises(ValidationError) as caught:
            self._assign("2026-11-30 11:00:00", "2026-11-30 13:00:00", order=other_order)
        message = str(caught.exception)
        for part in (
            "Ada Fixer",
            other_order.name,
            self.order.name,
            "2026-11-30 08:00 (UTC)",
            "2026-11-30 13:00",
        ):
            self.assertIn(part, message)

    def test_touching_intervals_allowed(self):
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        after = self._assign("2026-11-30 12:00:00", "2026-11-30 14:00:00")
        before = self._assign("2026-11-30 06:00:00", "2026-11-30 08:00:00")
        self.assertEqual(len(after | before), 2)

    def test_cancelled_assignments_do_not_block(self):
        first = self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        first.action_cancel()
        second = self._assign("2026-11-30 09:00:00", "2026-11-30 11:00:00")
        self.assertEqual(second.state, "planned")
        with self.assertRaisesRegex(ValidationError, "already booked"):
            first.action_reset()
        self.assertEqual(first.state, "cancelled")

    def test_crossing_midnight(self):
        self._assign("2026-11-30 22:00:00", "2026-12-01 02:00:00")
        with self.assertRaisesRegex(ValidationError, "already booked"):
            self._assign("2026-12-01 01:00:00", "2026-12-01 03:00:00")
        with self.assertRaisesRegex(ValidationError, "already booked"):
            self._assign("2026-11-30 21:00:00", "2026-11-30 22:30:00")
        self.assertTrue(self._assign("2026-12-01 02:00:00", "2026-12-01 04:00:00"))

    def test_other_time_zone_shown_in_local_time(self):
        self._assign("2026-11-30 08:00:00", "2026-11-30 10:00:00", employee=self.brussels_employee)
        self._assign("2026-11-30 08:00:00", "2026-11-30 10:00:00")
        with self.assertRaises(ValidationError) as caught:
            self._assign("2026-11-30 09:00:00", "2026-11-30 11:00:00", employee=self.brussels_employee)
        self.assertIn("2026-11-30 09:00 (Europe/Brussels)", str(caught.exception))
        self.assertIn("Bram Peeters", str(caught.exception))

    def test_travel_buffer_between_sites(self):
        self.company.service_travel_buffer = 30
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        with self.assertRaisesRegex(ValidationError, "travel buffer of 30 minutes"):
            self._assign("2026-11-30 12:15:00", "2026-11-30 14:00:00", site_id=self.other_site.id)
        with self.assertRaisesRegex(ValidationError, "travel buffer"):
            self._assign("2026-11-30 06:00:00", "2026-11-30 07:45:00", site_id=self.other_site.id)
        same_site = self._assign("2026-11-30 12:00:00", "2026-11-30 13:00:00")
        far = self._assign("2026-11-30 13:30:00", "2026-11-30 15:00:00", site_id=self.other_site.id)
        self.assertTrue(same_site and far, "the same site needs no travel, 30 minutes are enough")
        with self.assertRaisesRegex(ValidationError, "travel buffer"):
            far.date_start = "2026-11-30 13:10:00"

    def test_batch_conflicts_all_listed_and_nothing_created(self):
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        vals = [
            {"date_start": "2026-11-30 10:00:00", "date_end": "2026-11-30 11:00:00"},
            {"date_start": "2026-12-01 08:00:00", "date_end": "2026-12-01 10:00:00"},
            {"date_start": "2026-12-01 09:00:00", "date_end": "2026-12-01 11:00:00"},
            {"date_start": "2026-12-03 09:00:00", "date_end": "2026-12-03 11:00:00"},
        ]
        with self.assertRaises(ValidationError) as caught:
            self.Assignment.create(
                [{"service_order_id": self.order.id, "employee_id": self.tech_employee.id, **v} for v in vals]
            )
        message = str(caught.exception)
        self.assertIn("2026-11-30 10:00", message)
        self.assertIn("2026-12-01 09:00", message)
        self.assertEqual(len(message.splitlines()), 2, message)
        self.assertEqual(self.Assignment.search_count([("employee_id", "=", self.tech_employee.id)]), 1)

    def test_database_refuses_overlap_behind_the_python_check(self):
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        with patch.object(type(self.Assignment), "_check_bookings", lambda self, candidates: None):
            self.assertConstraintRefuses(
                "service.assignment",
                "Ada Fixer was booked from 2026-11-30 08:00 (UTC) to 2026-11-30 12:00 (UTC)",
                lambda: self._assign("2026-11-30 11:00:00", "2026-11-30 13:00:00"),
            )

    def test_bad_input_clear_errors(self):
        with self.assertRaisesRegex(ValidationError, "ends .* before it starts"):
            self._assign("2026-11-30 12:00:00", "2026-11-30 08:00:00")
        with self.assertRaisesRegex(ValidationError, "has no duration"):
            self._assign("2026-11-30 12:00:00", "2026-11-30 12:00:00")
        other_company = self.env["res.company"].create({"name": "Other Services"})
        stranger = self.env["hr.employee"].create({"name": "Olga Elsewhere", "company_id": other_company.id})
        with self.assertRaisesRegex(ValidationError, "Olga Elsewhere works for Other Services"):
            self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00", employee=stranger)

    def test_confirmation_schedules_draft_order_and_overbooking(self):
        self.order.sold_hours = 6.0
        first = self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        self.assertEqual(self.order.state, "draft", "a planned assignment leaves the order in draft")
        first.action_confirm()
        self.assertEqual(self.order.state, "scheduled")
        self.assertFalse(self.order.is_overbooked)
        second = self._assign("2026-12-01 08:00:00", "2026-12-01 12:00:00")
        self.assertTrue(self.order.is_overbooked)
        self.assertIn("overbooked", second.capacity_warning)
        self.assertIn(self.order, self.env["service.order"].search([("is_overbooked", "=", True)]))
        second.action_cancel()
        self.assertFalse(self.order.is_overbooked)

    def test_access_rights(self):
        assignment = self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")
        colleague = self._assign(
            "2026-11-30 08:00:00", "2026-11-30 12:00:00", employee=self.brussels_employee
        )
        unassigned_order = self._create_order(user_id=self.dispatcher.id)
        as_tech = self.env(user=self.technician)
        self.assertEqual(as_tech["service.assignment"].search([]), assignment)
        orders = as_tech["service.order"].search([])
        self.assertIn(self.order, orders, "assigned orders are visible to the technician")
        self.assertNotIn(unassigned_order, orders)
        with self.assertRaises(AccessError):
            as_tech["service.assignment"].browse(colleague.id).action_cancel()
        as_dispatcher = self.env(user=self.dispatcher)
        self.assertEqual(
            as_dispatcher["service.assignment"].search([("service_order_id", "=", self.order.id)]),
            assignment | colleague,
        )

    def test_travel_buffer_inside_one_batch(self):
        self.company.service_travel_buffer = 30
        with self.assertRaisesRegex(ValidationError, "travel buffer of 30 minutes"):
            self.Assignment.create(
                [
                    {
                        "service_order_id": self.order.id,
                        "employee_id": self.tech_employee.id,
                        "date_start": "2026-11-30 08:00:00",
                        "date_end": "2026-11-30 12:00:00",
                    },
                    {
                        "service_order_id": self.order.id,
                        "employee_id": self.tech_employee.id,
                        "site_id": self.other_site.id,
                        "date_start": "2026-11-30 12:15:00",
                        "date_end": "2026-11-30 13:00:00",
                    },
                ]
            )

    def test_create_queries_do_not_grow_with_the_batch(self):
        def batch(size, first_day):
            return [
                {
                    "service_order_id": self.order.id,
                    "employee_id": employee.id,
                    "date_start": f"2026-12-{first_day + day:02d} 08:00:00",
                    "date_end": f"2026-12-{first_day + day:02d} 12:00:00",
                }
                for day in range(size)
                for employee in self.tech_employee | self.brussels_employee
            ]

        self.Assignment.create(batch(1, 7))  # fills the caches that are not per-request
        counts = []
        for size, first_day in ((1, 8), (10, 14)):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Assignment.create(batch(size, first_day))
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "2 and 20 assignments are created with the same queries")
