import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from .common import TimeClockCommon

# Queries to apply 40 events in one request, with every module of the suite installed (138 without
# billing, 143 without the KPIs, which keep each order's visits and invoiced hours): see
# test_a_clean_queue_costs_a_few_queries_an_event.
QUERY_BUDGET_40_EVENTS = 144


def event(key, action, at, assignment, **extra):
    return {"key": key, "action": action, "at": at, "assignment_id": assignment.id, **extra}


@tagged("post_install", "-at_install")
@freeze_time("2026-11-30 18:00:00")
class TestClockSync(TimeClockCommon):
    def sync(self, events, user=None):
        return self.env["service.attendance.event"].with_user(user or self.technician).sync_events(events)

    def test_replay_is_applied_once(self):
        day = [
            event("k1", "travel", "2026-11-30 07:30:00", self.assignment),
            event("k2", "arrive", "2026-11-30 08:00:00", self.assignment, latitude=51.05, longitude=3.72),
            event("k3", "clock_out", "2026-11-30 11:00:00", self.assignment),
        ]
        self.assertEqual([a["status"] for a in self.sync(day)], ["accepted"] * 3)
        self.assertEqual([a["status"] for a in self.sync(day)], ["duplicate"] * 3)
        self.assertEqual(len(self.assignment.attendance_ids), 2)
        self.assertAlmostEqual(self.order.worked_hours, 3.0)
        self.assertEqual(str(self.order.date_response), "2026-11-30 08:00:00")

    def test_a_clean_queue_costs_a_few_queries_an_event(self):
        """A queue without refusal is applied in one savepoint: per event the look-up of the
        running record and its insert or close; the order's figures and the keys once."""
        day = [
            event(
                f"q{index}",
                "arrive" if index % 2 == 0 else "clock_out",
                f"2026-11-30 {8 + index // 6:02d}:{index % 6 * 10:02d}:00",
                self.assignment,
            )
            for index in range(40)
        ]
        self.env.invalidate_all()
        with self.assertQueryCount(QUERY_BUDGET_40_EVENTS):
            answers = self.sync(day)
        self.assertEqual({a["status"] for a in answers}, {"accepted"})
        self.assertEqual(len(self.assignment.attendance_ids), 20)

    def test_events_are_applied_in_the_order_they_happened(self):
        answers = self.sync(
            [
                event("b", "clock_out", "2026-11-30 11:00:00", self.assignment),
                event("a", "arrive", "2026-11-30 08:00:00", self.assignment),
                event("a", "arrive", "2026-11-30 08:00:00", self.assignment),
            ]
        )
        self.assertEqual([a["status"] for a in answers], ["accepted", "accepted", "duplicate"])
        self.assertEqual(str(self.assignment.attendance_ids.check_out), "2026-11-30 11:00:00")

    def test_a_day_queued_offline_before_time_recorded_since(self):
        """The phone was offline in the morning; the afternoon was recorded since (another
        device, or typed in by the dispatcher). Its queue still applies: the records it opens
        end at its own next events, and never overlap the afternoon."""
        self.sync(
            [
                event("pm1", "arrive", "2026-11-30 13:00:00", self.assignment),
                event("pm2", "clock_out", "2026-11-30 15:00:00", self.assignment),
            ]
        )
        job = self.assignment
        answers = self.sync(
            [
                event("am3", "clock_out", "2026-11-30 11:00:00", job, latitude=51.0, longitude=3.7),
                event("am1", "travel", "2026-11-30 07:30:00", job),
                event("am2", "arrive", "2026-11-30 08:00:00", job, latitude=51.05, longitude=3.72),
            ]
        )
        self.assertEqual([a["status"] for a in answers], ["accepted"] * 3)
        records = self.assignment.attendance_ids.sorted("check_in")
        self.assertEqual(
            [(r.kind, str(r.check_in), str(r.check_out)) for r in records],
            [
                ("travel", "2026-11-30 07:30:00", "2026-11-30 08:00:00"),
                ("work", "2026-11-30 08:00:00", "2026-11-30 11:00:00"),
                ("work", "2026-11-30 13:00:00", "2026-11-30 15:00:00"),
            ],
        )
        # The events still record where they happened, the clock out on the record it closed.
        self.assertAlmostEqual(records[1].in_latitude, 51.05)
        self.assertAlmostEqual(records[1].out_latitude, 51.0)
        self.assertAlmostEqual(self.order.worked_hours, 5.0)
        # A queue left open (no clock out yet) still opens a running record, as a live tap does:
        # one that would overlap the afternoon is refused with the reason.
        with mute_logger("odoo.sql_db"):
            (answer,) = self.sync([event("am4", "arrive", "2026-11-30 11:30:00", self.assignment)])
        self.assertEqual(answer["status"], "refused")
        self.assertIn("cannot overlap", answer["message"])

    def test_conflicting_events_are_refused_with_the_reason_and_the_rest_goes_on(self):
        self.sync(
            [
                event("w1", "arrive", "2026-11-30 08:00:00", self.assignment),
                event("w2", "clock_out", "2026-11-30 10:00:00", self.assignment),
            ]
        )
        with mute_logger("odoo.sql_db"):
            answers = self.sync(
                [
                    # Inside the recorded work: the database refuses the overlap.
                    event("x1", "arrive", "2026-11-30 09:00:00", self.assignment),
                    event("x2", "clock_out", "2026-11-30 09:30:00", self.assignment),
                    event("x3", "arrive", "2026-11-30 13:00:00", self.assignment),
                    event("x4", "arrive", "1999-01-01 00:00:00", self.assignment),
                    event("x5", "dance", "2026-11-30 14:00:00", self.assignment),
                    {"key": "x6", "action": "arrive", "at": "2026-11-30 14:00:00", "assignment_id": "17"},
                    "garbage",
                ]
            )
        statuses = [a["status"] for a in answers]
        self.assertEqual(
            statuses, ["refused", "refused", "accepted", "refused", "refused", "refused", "refused"]
        )
        self.assertIn("cannot overlap", answers[0]["message"])
        self.assertIn("clock in first", answers[1]["message"])
        self.assertIn("not a plausible time", answers[3]["message"])
        self.assertIn("not a clock action", answers[4]["message"])
        self.assertIn("not an assignment id", answers[5]["message"])
        self.assertIs(answers[6]["key"], False, "an answer that XML-RPC can carry")
        self.assertEqual(len(self.assignment.attendance_ids), 2)
        # A refused key was not consumed: the device may send it again once fixed.
        self.assertFalse(self.env["service.attendance.event"].search([("key", "=", "x1")]))

    def test_checks_and_photos_taken_offline(self):
        check = self.env["service.order.checklist.item"].create(
            {"service_order_id": self.order.id, "name": "Gas leak test passed", "required": True}
        )
        other_order = self._create_order()
        foreign = self.env["service.order.checklist.item"].create(
            {"service_order_id": other_order.id, "name": "Not this job"}
        )
        photo = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
        queue = [
            event("t1", "tick", "2026-11-30 09:00:00", self.assignment, item_id=check.id, done=True),
            event("p1", "photo", "2026-11-30 09:05:00", self.assignment, data=photo, name="boiler.png"),
            event("t2", "tick", "2026-11-30 09:06:00", self.assignment, item_id=foreign.id, done=True),
            event("t3", "tick", "2026-11-30 09:07:00", self.assignment, item_id=check.id, done="yes"),
            event("p2", "photo", "2026-11-30 09:08:00", self.assignment, data="not an image", name="x.png"),
        ]
        answers = self.sync(queue)
        self.assertEqual(
            [a["status"] for a in answers], ["accepted", "accepted", "refused", "refused", "refused"]
        )
        self.assertIn("is not on", answers[2]["message"])
        self.assertIn("not true or false", answers[3]["message"])
        self.assertTrue(check.is_done)
        self.assertEqual(check.done_by_id, self.technician)
        self.assertEqual(str(check.done_on), "2026-11-30 09:00:00", "the time it was ticked on the phone")
        self.assertFalse(foreign.is_done)
        self.assertEqual(self.order.photo_ids.mapped("name"), ["boiler.png"])
        # Replayed: nothing changes, nothing is added.
        self.assertEqual([a["status"] for a in self.sync(queue[:2])], ["duplicate", "duplicate"])
        self.assertEqual(len(self.order.photo_ids), 1)

    def test_someone_elses_job_is_refused(self):
        colleague = self._assign(
            "2026-11-30 08:00:00", "2026-11-30 12:00:00", employee=self.brussels_employee, state="confirmed"
        )
        answers = self.sync([event("c1", "arrive", "2026-11-30 08:00:00", colleague)])
        self.assertEqual(answers[0]["status"], "refused")
        self.assertFalse(colleague.attendance_ids)

    def test_the_batch_itself_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "must be a list"):
            self.sync("k1")
        with self.assertRaisesRegex(ValidationError, "at most 1000"):
            self.sync([{}] * 1001)


@tagged("post_install", "-at_install")
class TestClockSyncHttp(HttpCase, TimeClockCommon):
    def test_phone_replays_over_http(self):
        now = fields.Datetime.now()
        job = self._assign(now - timedelta(hours=3), now + timedelta(hours=1), state="confirmed")
        arrival = fields.Datetime.to_string(now - timedelta(hours=2))
        self.authenticate(self.technician.login, self.technician.login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"events": [event("h1", "arrive", arrival, job)]},
        }
        for expected in ("accepted", "duplicate"):
            response = self.url_open(
                "/service/timeclock/sync",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
            self.assertEqual(response.json()["result"][0]["status"], expected)
        self.assertEqual(job.clock_state, "work")
        self.assertEqual(fields.Datetime.to_string(job.clock_since), arrival)
