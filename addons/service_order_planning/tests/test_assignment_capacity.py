from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ServicePlanningCommon


@tagged("post_install", "-at_install")
class TestAssignmentCapacity(ServicePlanningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.time_off = cls.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": cls.tech_employee.resource_id.id,
                "calendar_id": cls.calendar.id,
                "date_from": "2026-12-03 13:00:00",
                "date_to": "2026-12-03 17:00:00",
            }
        )

    def test_warn_policy_flags_but_saves(self):
        self.assertEqual(self.company.service_capacity_policy, "warn")
        weekend = self._assign("2026-12-05 09:00:00", "2026-12-05 11:00:00")
        self.assertIn("outside the working hours of Ada Fixer", weekend.capacity_warning)
        holiday = self._assign("2026-12-02 09:00:00", "2026-12-02 11:00:00")
        self.assertIn("time off or on a public holiday", holiday.capacity_warning)
        with_break = self._assign("2026-11-30 08:00:00", "2026-11-30 17:00:00")
        self.assertFalse(with_break.capacity_warning, "the lunch break is inside the working day")

    def test_block_policy_refuses(self):
        self.company.service_capacity_policy = "block"
        cases = (
            (("2026-12-05 09:00:00", "2026-12-05 11:00:00"), "outside the working hours"),
            (("2026-11-30 16:00:00", "2026-11-30 18:00:00"), "outside the working hours"),
            (("2026-12-02 09:00:00", "2026-12-02 11:00:00"), "public holiday"),
            (("2026-12-03 15:00:00", "2026-12-03 16:00:00"), "time off"),
        )
        for (start, end), message in cases:
            with self.subTest(start=start), self.assertRaisesRegex(ValidationError, message):
                self._assign(start, end)
        self.assertTrue(self._assign("2026-12-03 08:00:00", "2026-12-03 12:00:00"))
        # The Brussels colleague works 8-12 local time, 7-11 UTC in winter.
        with self.assertRaisesRegex(ValidationError, "outside the working hours of Bram Peeters"):
            self._assign("2026-11-30 16:00:00", "2026-11-30 17:00:00", employee=self.brussels_employee)
        self.assertTrue(
            self._assign("2026-11-30 07:00:00", "2026-11-30 11:00:00", employee=self.brussels_employee)
        )

    def test_time_off_reduces_planned_hours(self):
        day = self._assign("2026-12-03 08:00:00", "2026-12-03 17:00:00")
        self.assertEqual(day.planned_hours, 4.0)

    def test_form_shows_warning_before_saving(self):
        with Form(self.Assignment) as form:
            form.service_order_id = self.order
            form.employee_id = self.tech_employee
            form.date_start = datetime(2026, 12, 5, 9, 0)
            form.date_end = datetime(2026, 12, 5, 10, 0)
            self.assertIn("outside the working hours", form.capacity_warning)
            self.assertEqual(form.planned_hours, 1.0)

    def test_planning_wizard_skips_days_off_and_is_all_or_nothing(self):
        wizard = self.env["service.assignment.planning.wizard"].create(
            {
                "service_order_id": self.order.id,
                "employee_ids": [(6, 0, (self.tech_employee | self.brussels_employee).ids)],
                "date_from": "2026-11-30",
                "date_to": "2026-12-06",
                "hour_from": 8.0,
                "hour_to": 12.0,
                "confirm": True,
            }
        )
        wizard.action_plan()
        assignments = self.Assignment.search([("service_order_id", "=", self.order.id)])
        # Mon, Tue, Thu, Fri for both: the holiday and the weekend are skipped.
        self.assertEqual(len(assignments), 8)
        brussels = assignments.filtered(lambda a: a.employee_id == self.brussels_employee)
        self.assertEqual(
            sorted(str(a.date_start) for a in brussels)[0], "2026-11-30 07:00:00", "8:00 in Brussels"
        )
        self.assertEqual(self.order.state, "scheduled")
        self.assertEqual(self.order.planned_hours, 32.0)

        again = wizard.copy({"date_from": "2026-12-03", "date_to": "2026-12-04", "hour_from": 10.0})
        with self.assertRaises(ValidationError) as caught:
            again.action_plan()
        self.assertEqual(len(str(caught.exception).splitlines()), 4, "every conflict is listed")
        self.assertEqual(self.Assignment.search_count([("service_order_id", "=", self.order.id)]), 8)
