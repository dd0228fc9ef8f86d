from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import TimeClockCommon
from .common_job import JobCommon


class MyJobsTourCommon(HttpCase, TimeClockCommon):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.phone = "+32 9 123 45 67"
        cls.customer_site.street = "Korenmarkt 1"
        now = fields.Datetime.now()
        cls.tour_order = cls._create_order(name="TOUR-JOB-1", sold_hours=4.0, site_id=cls.customer_site.id)
        cls.tour_job = cls._assign(
            now - timedelta(hours=1), now + timedelta(hours=3), order=cls.tour_order, state="confirmed"
        )


@tagged("post_install", "-at_install")
class TestMyJobsUi(MyJobsTourCommon):
    def test_technician_clocks_a_job_on_a_phone(self):
        self.start_tour("/odoo/my-jobs", "service_my_jobs_tour", login=self.technician.login)
        records = self.tour_job.attendance_ids.sorted(lambda r: (r.check_in, r.id))
        self.assertEqual(records.mapped("kind"), ["travel", "work"])
        self.assertTrue(all(records.mapped("check_out")))
        self.assertEqual(self.tour_job.state, "done")
        self.assertEqual(self.tour_order.state, "done")


@tagged("post_install", "-at_install")
class TestMyJobsOfflineUi(MyJobsTourCommon):
    def test_events_queued_offline_sync_once(self):
        check = self.env["service.order.checklist.item"].create(
            {"service_order_id": self.tour_order.id, "name": "Gas leak test passed", "required": True}
        )
        self.start_tour("/odoo/my-jobs", "service_my_jobs_offline_tour", login=self.technician.login)
        self.assertTrue(check.is_done)
        self.assertEqual(check.done_by_id, self.technician)
        self.assertEqual(self.tour_order.photo_ids.mapped("name"), ["boiler.png"])
        record = self.tour_job.attendance_ids
        self.assertEqual(len(record), 1, "one work record, no duplicate from the replays")
        self.assertEqual(record.kind, "work")
        self.assertTrue(record.check_out)
        events = self.env["service.attendance.event"].search([("assignment_id", "=", self.tour_job.id)])
        self.assertEqual(sorted(events.mapped("action")), ["arrive", "clock_out", "photo", "tick"])


@tagged("post_install", "-at_install")
class TestFullJobUi(HttpCase, JobCommon):
    browser_size = "390x844"
    touch_enabled = True

    def test_technician_does_a_whole_visit_on_a_phone(self):
        now = fields.Datetime.now()
        self.customer.phone = "+32 9 123 45 67"
        order = self._create_order(
            name="TOUR-FULL-1",
            sold_hours=4.0,
            site_id=self.customer_site.id,
            checklist_template_id=self.template.id,
        )
        order.with_user(self.dispatcher).action_load_checklist()
        job = self._assign(now - timedelta(hours=1), now + timedelta(hours=3), order=order, state="confirmed")
        self.start_tour("/odoo/my-jobs", "service_full_job_tour", login=self.technician.login)
        records = job.attendance_ids.sorted(lambda r: (r.check_in, r.id))
        self.assertEqual(records.mapped("kind"), ["travel", "work"])
        self.assertTrue(all(records.mapped("check_out")))
        self.assertTrue(order.checklist_item_ids.filtered("required").is_done)
        self.assertEqual(order.photo_ids.mapped("name"), ["boiler.png"])
        self.assertEqual(order.signed_by, "Carla Customer")
        self.assertTrue(order.customer_signature)
        self.assertEqual(job.state, "done")
        self.assertEqual(order.state, "done")
        self.assertTrue(order.date_resolved)
