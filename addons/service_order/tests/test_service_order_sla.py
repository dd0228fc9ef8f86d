from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import ServiceOrderCommon

# Creating orders with SLA deadlines: sequence, insert, calendar, leaves, tracking, with every
# module of the suite installed (21 with service_order alone).
QUERY_BUDGET = 26


@tagged("post_install", "-at_install")
class TestServiceOrderSla(ServiceOrderCommon):
    def _deadlines(self, order):
        return str(order.response_deadline), str(order.resolution_deadline)

    def test_deadlines_within_the_week(self):
        # Friday 10:00; 4 h response: 10-12 and 13-15. 16 h resolution: 6 h on Friday, 8 h on
        # Monday, then 2 h on Tuesday morning.
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00")
        self.assertEqual(self._deadlines(order), ("2026-11-27 15:00:00", "2026-12-01 10:00:00"))

    def test_deadlines_skip_the_weekend(self):
        # Friday 16:00: 1 h on Friday, then the weekend does not count.
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-27 16:00:00")
        self.assertEqual(str(order.response_deadline), "2026-11-30 11:00:00")

    def test_deadlines_skip_a_public_holiday(self):
        # Tuesday 15:00: 2 h on Tuesday, Wednesday is a public holiday, 8 h Thursday, 6 h Friday.
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-12-01 15:00:00")
        self.assertEqual(self._deadlines(order), ("2026-12-03 10:00:00", "2026-12-04 15:00:00"))
        self.holiday.unlink()
        same_start = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-12-01 15:00:00")
        self.assertEqual(str(same_start.resolution_deadline), "2026-12-03 15:00:00", "without the holiday")

    def test_open_orders_follow_holiday_changes(self):
        """A public holiday added, moved or removed later moves the deadlines of the open orders
        whose SLA clock runs through it; closed orders keep the deadlines they were judged by."""
        # Monday 10:00: response Monday 15:00, resolution Wednesday 10:00 without the holiday.
        self.holiday.unlink()
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-30 10:00:00")
        closed = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-30 10:00:00")
        closed.action_cancel()
        later = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-12-07 10:00:00")
        self.assertEqual(self._deadlines(order), ("2026-11-30 15:00:00", "2026-12-02 10:00:00"))
        Leave = self.env["resource.calendar.leaves"]
        tuesday = Leave.create(
            {
                "name": "Closure",
                "calendar_id": self.calendar.id,
                "date_from": "2026-12-01 00:00:00",
                "date_to": "2026-12-01 23:59:59",
            }
        )
        self.assertEqual(self._deadlines(order), ("2026-11-30 15:00:00", "2026-12-03 10:00:00"))
        self.assertEqual(str(closed.resolution_deadline), "2026-12-02 10:00:00", "closed: unchanged")
        self.assertEqual(str(later.resolution_deadline), "2026-12-09 10:00:00")
        tuesday.write({"date_from": "2026-12-08 00:00:00", "date_to": "2026-12-08 23:59:59"})
        self.assertEqual(str(order.resolution_deadline), "2026-12-02 10:00:00", "moved away")
        self.assertEqual(str(later.resolution_deadline), "2026-12-10 10:00:00", "moved onto it")
        tuesday.unlink()
        self.assertEqual(str(later.resolution_deadline), "2026-12-09 10:00:00")
        # A holiday of another calendar changes nothing; one of no calendar counts for all.
        other_calendar = self.calendar.copy({"name": "Other"})
        Leave.create(
            [
                {
                    "name": "Elsewhere",
                    "calendar_id": other_calendar.id,
                    "date_from": "2026-12-08 00:00:00",
                    "date_to": "2026-12-08 23:59:59",
                },
                {
                    "name": "Everywhere",
                    "calendar_id": False,
                    "date_from": "2026-12-09 00:00:00",
                    "date_to": "2026-12-09 23:59:59",
                },
            ]
        )
        self.assertEqual(str(later.resolution_deadline), "2026-12-10 10:00:00", "only Wednesday off")

    def test_start_outside_working_hours(self):
        # Saturday: the clock starts on Monday 8:00.
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-28 12:00:00")
        self.assertEqual(self._deadlines(order), ("2026-11-30 12:00:00", "2026-12-01 17:00:00"))

    def test_deadlines_follow_policy_changes(self):
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00")
        self.sla_policy.response_hours = 1
        self.assertEqual(str(order.response_deadline), "2026-11-27 11:00:00")
        order.sla_policy_id = False
        self.assertFalse(order.response_deadline)
        self.assertFalse(order.sla_status)

    def test_status_over_time_and_search(self):
        # Response deadline Friday 15:00, at risk from 80% of 5 h (14:00).
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00")
        Order = self.env["service.order"]
        for moment, status in (
            ("2026-11-27 13:30:00", "on_track"),
            ("2026-11-27 14:30:00", "at_risk"),
            ("2026-11-27 15:30:00", "breached"),
        ):
            with freeze_time(moment):
                order.invalidate_recordset(["sla_status"])
                self.assertEqual(order.sla_status, status, moment)
                self.assertEqual(Order.search([("id", "=", order.id), ("sla_status", "in", [status])]), order)
                other = {"on_track", "at_risk", "breached", "met"} - {status}
                self.assertFalse(Order.search([("id", "=", order.id), ("sla_status", "in", list(other))]))

    def test_met_and_late_resolution(self):
        on_time = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00")
        late = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00")
        with freeze_time("2026-11-27 11:00:00"):
            (on_time | late).action_start()
            on_time.action_done()
        with freeze_time("2026-12-01 12:00:00"):
            late.action_done()
            (on_time | late).invalidate_recordset(["sla_status"])
            self.assertEqual(on_time.sla_status, "met")
            self.assertEqual(late.sla_status, "breached")
            self.assertEqual(
                self.env["service.order"].search(
                    [("id", "in", (on_time | late).ids), ("sla_status", "in", ["met"])]
                ),
                on_time,
            )

    def test_deadlines_of_many_orders_share_one_calendar_computation(self):
        """Deadlines cost one calendar computation per calendar and company, whatever the number of
        orders: an explicit budget for 1 and for 60 orders."""

        def create(count):
            vals = [
                {
                    "partner_id": self.customer.id,
                    "date_start": f"2026-11-{20 + i % 8:02d} 09:00:00",
                    "sla_policy_id": self.sla_policy.id,
                }
                for i in range(count)
            ]
            self.env.invalidate_all()
            self.env["service.order"].create(vals).mapped("resolution_deadline")

        create(1)  # warm the caches
        for count in (1, 60):
            with self.subTest(count=count), self.assertQueryCount(QUERY_BUDGET):
                create(count)

    @freeze_time("2026-11-27 14:30:00")
    def test_cron_reminds_at_risk_orders_once(self):
        order = self._create_order(
            sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00", user_id=self.dispatcher.id
        )
        Order = self.env["service.order"]
        Order._cron_sla_reminder()
        Order._cron_sla_reminder()
        self.assertEqual(len(order.activity_ids), 1)
        self.assertEqual(order.activity_ids.user_id, self.dispatcher)
        self.assertEqual(order.sla_alerted_status, "at_risk")

    @freeze_time("2026-11-27 14:30:00")
    def test_reminder_is_sent_once_even_after_it_was_done(self):
        self.dispatcher.tz = "Europe/Brussels"
        order = self._create_order(
            sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00", user_id=self.dispatcher.id
        )
        Order = self.env["service.order"]
        Order._cron_sla_reminder()
        activity = order.activity_ids
        # Not answered yet: the response deadline 15:00 UTC is 16:00 in Brussels, the resolution
        # deadline 2026-12-01 10:00 UTC is 11:00 there.
        self.assertRegex(str(activity.note), r"response deadline is 11/27/2026 04:00:00 PM")
        self.assertRegex(str(activity.note), r"resolution deadline is 12/01/2026 11:00:00 AM")
        self.assertEqual(str(activity.date_deadline), "2026-11-27")
        activity.action_feedback(feedback="Called the customer")
        Order._cron_sla_reminder()
        self.assertFalse(order.activity_ids, "no second reminder after the first was done")
        with self.assertRaises(AccessError):
            order.with_user(self.dispatcher).sla_alerted_status = False

    def test_breach_is_alerted_once_after_the_risk(self):
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00")
        cancelled = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00")
        cancelled.action_cancel()
        Order = self.env["service.order"]
        with freeze_time("2026-11-27 14:30:00"):
            Order._cron_sla_reminder()
        with freeze_time("2026-11-27 15:30:00"):
            Order._cron_sla_reminder()
            Order._cron_sla_reminder()
        self.assertEqual(order.activity_ids.mapped("summary"), ["SLA at risk", "SLA breached"])
        self.assertEqual(order.activity_ids.user_id, self.env.user, "nobody responsible: its creator")
        self.assertEqual(order.sla_alerted_status, "breached")
        self.assertFalse(cancelled.activity_ids)

    def test_deadlines_ignore_other_companies_holidays(self):
        other = self.env["res.company"].create({"name": "Service Co. North"})
        # Thursday is a public holiday of the other company, for all its working schedules.
        self.env["resource.calendar.leaves"].with_company(other).create(
            {"name": "North holiday", "date_from": "2026-12-03 00:00:00", "date_to": "2026-12-03 23:59:59"}
        )
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-12-01 15:00:00")
        self.assertEqual(self._deadlines(order), ("2026-12-03 10:00:00", "2026-12-04 15:00:00"))
        # Our own company's holiday still counts.
        self.env["resource.calendar.leaves"].create(
            {"name": "Our closure", "date_from": "2026-12-03 00:00:00", "date_to": "2026-12-03 23:59:59"}
        )
        self.assertEqual(self._deadlines(order), ("2026-12-04 10:00:00", "2026-12-07 15:00:00"))

    def test_late_flags_follow_recomputed_deadlines(self):
        self.holiday.unlink()
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-30 10:00:00")
        # Responded at 15:30, however the installed modules record it (scheduling, arrival on site).
        order.action_schedule()
        order.date_response = "2026-11-30 15:30:00"
        self.assertTrue(order.sla_response_late, "responded 30 minutes after the 15:00 deadline")
        Order = self.env["service.order"]
        breached = [("id", "=", order.id), ("sla_status", "in", ["breached"])]
        with freeze_time("2026-11-30 16:00:00"):
            self.assertEqual(Order.search(breached), order)
            # Monday turns out to be a closure: the clock starts on Tuesday.
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Closure",
                    "calendar_id": self.calendar.id,
                    "date_from": "2026-11-30 00:00:00",
                    "date_to": "2026-11-30 23:59:59",
                }
            )
            self.assertEqual(str(order.response_deadline), "2026-12-01 12:00:00")
            self.assertFalse(order.sla_response_late)
            self.assertFalse(Order.search(breached), "the filter agrees with the record")
            order.invalidate_recordset(["sla_status"])
            self.assertEqual(order.sla_status, "on_track")

    def test_cancelled_orders_are_never_breached(self):
        order = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2026-11-27 10:00:00")
        order.action_cancel()
        Order = self.env["service.order"]
        with freeze_time("2026-12-15 10:00:00"):
            order.invalidate_recordset(["sla_status"])
            self.assertFalse(order.sla_status)
            self.assertFalse(Order.search([("id", "=", order.id), ("sla_status", "in", ["breached"])]))
            self.assertEqual(Order.search([("id", "=", order.id), ("sla_status", "in", [False])]), order)

    def test_at_risk_is_a_share_of_working_time(self):
        """8 working hours opened Friday 16:00: 1 h on Friday, 7 h on Monday. 80% of them have
        passed on Monday at 14:24, not during the weekend."""
        policy = self.sla_policy.copy({"name": "8h", "response_hours": 8, "resolution_hours": 8})
        order = self._create_order(sla_policy_id=policy.id, date_start="2026-11-27 16:00:00")
        self.assertEqual(str(order.response_deadline), "2026-11-30 16:00:00")
        self.assertEqual(str(order.response_risk_date), "2026-11-30 14:24:00")
        for moment, status in (
            ("2026-11-30 04:00:00", "on_track"),
            ("2026-11-30 14:00:00", "on_track"),
            ("2026-11-30 14:30:00", "at_risk"),
        ):
            with freeze_time(moment):
                order.invalidate_recordset(["sla_status"])
                self.assertEqual(order.sla_status, status, moment)
