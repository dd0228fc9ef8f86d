from odoo.tests import HttpCase, tagged

from .common_job import JobCommon


@tagged("post_install", "-at_install")
class TestJobUi(HttpCase, JobCommon):
    browser_size = "390x844"
    touch_enabled = True

    def test_technician_ticks_and_photographs_on_a_phone(self):
        self.start_tour(
            f"/odoo/service.order/{self.order.id}", "service_job_on_site_tour", login=self.technician.login
        )
        self.assertTrue(self.gas_check.is_done)
        self.assertEqual(self.gas_check.done_by_id, self.technician)
        self.assertEqual(self.order.photo_ids.mapped("name"), ["boiler.png"])
        self.assertEqual(self.order.photo_ids.user_id, self.technician)
