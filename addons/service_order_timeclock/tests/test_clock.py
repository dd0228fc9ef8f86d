from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TimeClockCommon


@tagged("post_install", "-at_install")
class TestClock(TimeClockCommon):
    def test_travel_then_work_roll_up_to_the_order(self):
        job = self.as_tech()
        with freeze_time("2026-11-30 07:30:00"):
            job.action_on_my_way()
        self.assertEqual(self.assignment.clock_state, "travel")
        with freeze_time("2026-11-30 08:05:00"):
            job.action_clock_in(latitude=51.0545, longitude=3.7170)
        with freeze_time("2026-11-30 11:20:00"):
            job.action_clock_out(latitude=51.0544, longitude=3.7172)
        records = self.Attendance.search([("assignment_id", "=", self.assignment.id)], order="check_in")
        self.assertEqual(records.mapped("kind"), ["travel", "work"])
        self.assertEqual([str(r.check_out) for r in records], ["2026-11-30 08:05:00", "2026-11-30 11:20:00"])
        self.assertAlmostEqual(self.assignment.worked_hours, 3.25)
        self.assertAlmostEqual(self.assignment.travel_hours, 35 / 60)
        self.assertAlmostEqual(self.order.worked_hours, 3.25, msg="travel is not worked time")
        self.assertAlmostEqual(self.order.travel_hours, 35 / 60)
        self.assertAlmostEqual(self.order.remaining_hours, 40 - 3.25)
        self.assertAlmostEqual(self.order.hours_variance, 3.25 - 4.0)
        self.assertEqual(self.order.state, "in_progress", "the first arrival starts the order")
        self.assertEqual(str(self.order.date_response), "2026-11-30 08:05:00", "response = first arrival")
        self.assertFalse(records.filtered("is_far"))
        self.assertLess(records[1].in_distance, 50)

    def test_arrival_confirms_a_planned_assignment_and_scheduling_does_not_answer_the_sla(self):
        order = self._create_order(sold_hours=8.0, site_id=self.customer_site.id)
        planned = self._assign("2026-11-30 13:00:00", "2026-11-30 17:00:00", order=order)
        order.with_user(self.dispatcher).action_schedule()
        self.assertFalse(order.date_response, "scheduling is not a response on site")
        with freeze_time("2026-11-30 13:10:00"):
            self.as_tech(planned).action_clock_in()
        self.assertEqual(planned.state, "confirmed")
        self.assertEqual(order.state, "in_progress")
        self.assertEqual(str(order.date_response), "2026-11-30 13:10:00")

    def test_refusals_name_the_problem(self):
        job = self.as_tech()
        with self.assertRaisesRegex(UserError, "is not working on .*: clock in first"):
            job.action_clock_out()
        with freeze_time("2026-11-30 08:00:00"):
            job.action_clock_in()
        with freeze_time("2026-11-30 08:00:05"), self.assertRaisesRegex(UserError, "already clocked on"):
            job.action_clock_in()
        other = self._assign("2026-11-30 13:00:00", "2026-11-30 17:00:00", state="confirmed")
        with freeze_time("2026-11-30 09:00:00"), self.assertRaisesRegex(UserError, "clock out first"):
            self.as_tech(other).action_on_my_way()
        with freeze_time("2026-11-30 07:59:59"), self.assertRaisesRegex(UserError, "cannot clock out at"):
            job.action_clock_out()
        self.assertEqual(self.Attendance.search_count([("employee_id", "=", self.tech_employee.id)]), 1)

    def test_only_the_assigned_person_or_a_dispatcher_records_time(self):
        colleague = self._assign(
            "2026-11-30 08:00:00", "2026-11-30 12:00:00", employee=self.brussels_employee, state="confirmed"
        )
        with self.assertRaises(AccessError):
            self.as_tech(colleague).action_clock_in()
        colleague.with_user(self.dispatcher).action_clock_in()
        self.assertEqual(colleague.clock_state, "work")
        with self.assertRaises(AccessError):
            colleague.attendance_ids.with_user(self.technician).write({"kind": "travel"})

    def test_closed_jobs_take_no_time(self):
        self.order.with_user(self.dispatcher).action_cancel()
        with self.assertRaisesRegex(UserError, "no time can be recorded"):
            self.as_tech().action_clock_in()
        self.assertFalse(self.assignment.attendance_ids)

    def test_positions_are_checked_and_far_clock_ins_flagged(self):
        job = self.as_tech()
        for latitude, longitude in (
            (91.0, 3.7),
            (51.0, "3.7"),
            (True, 3.7),
            (float("nan"), 3.7),
            (51.0, None),
        ):
            with self.subTest(position=(latitude, longitude)), self.assertRaises(ValidationError):
                job.action_clock_in(latitude=latitude, longitude=longitude)
        self.assertFalse(self.assignment.attendance_ids, "a bad position records nothing")
        with freeze_time("2026-11-30 08:00:00"):
            job.action_clock_in(latitude=51.2194, longitude=4.4025)  # Antwerp, 50 km away
        record = self.assignment.attendance_ids
        self.assertTrue(record.is_far)
        self.assertGreater(record.in_distance, 40000)
        with freeze_time("2026-11-30 09:00:00"):
            job.action_clock_out()  # refused or missing position never blocks clocking
        self.assertEqual(str(record.check_out), "2026-11-30 09:00:00")

    def test_finishing_the_last_job_completes_the_order(self):
        second = self._assign("2026-11-30 13:00:00", "2026-11-30 17:00:00", state="confirmed")
        with freeze_time("2026-11-30 08:00:00"):
            self.as_tech().action_clock_in()
        with freeze_time("2026-11-30 11:00:00"):
            self.as_tech().action_finish()
        self.assertEqual(self.assignment.state, "done")
        self.assertEqual(str(self.assignment.attendance_ids.check_out), "2026-11-30 11:00:00")
        self.assertEqual(self.order.state, "in_progress", "another job is still open")
        with freeze_time("2026-11-30 13:00:00"):
            self.as_tech(second).action_clock_in()
        with freeze_time("2026-11-30 15:30:00"):
            self.as_tech(second).action_finish()
        self.assertEqual(self.order.state, "done")
        self.assertEqual(str(self.order.date_resolved), "2026-11-30 15:30:00")
        self.assertAlmostEqual(self.order.worked_hours, 5.5)
        with self.assertRaisesRegex(UserError, "no time can be recorded"):
            self.as_tech(second).action_clock_in()

    def test_worked_hours_cannot_be_forged(self):
        for user in (self.technician, self.dispatcher, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.order.with_user(user).write({"worked_hours": 999, "travel_hours": 1})
        self.assertEqual(self.order.worked_hours, 0.0)

    def test_orders_with_time_do_not_change_company(self):
        with freeze_time("2026-11-30 08:00:00"):
            self.as_tech().action_clock_in()
        other = self.env["res.company"].create({"name": "Service Co. North"})
        with self.assertRaisesRegex(UserError, "time was recorded"):
            self.order._check_company_move(other)

    def test_sla_follows_the_clock(self):
        """Response 4 h and resolution 16 h of working time from Monday 8:00: the response is due
        at 12:00 and at risk from 11:12; the first arrival answers it, and finishing resolves it."""
        self.assignment.with_user(self.dispatcher).action_cancel()  # Ada's Monday morning is free
        order = self._create_order(
            sla_policy_id=self.sla_policy.id, date_start="2026-11-30 08:00:00", site_id=self.customer_site.id
        )
        job = self._assign("2026-11-30 09:00:00", "2026-11-30 12:00:00", order=order, state="confirmed")
        self.assertEqual(str(order.response_risk_date), "2026-11-30 11:12:00")
        for moment, action, status in (
            ("2026-11-30 10:00:00", None, "on_track"),
            ("2026-11-30 11:30:00", None, "at_risk"),
            ("2026-11-30 11:40:00", "action_clock_in", "on_track"),
            ("2026-11-30 15:00:00", "action_finish", "met"),
        ):
            with freeze_time(moment):
                if action:
                    getattr(self.as_tech(job), action)()
                order.invalidate_recordset(["sla_status"])
                self.assertEqual(order.sla_status, status, moment)
        self.assertEqual(str(order.date_response), "2026-11-30 11:40:00")
        self.assertEqual(str(order.date_resolved), "2026-11-30 15:00:00")
        self.assertEqual(order.state, "done")
