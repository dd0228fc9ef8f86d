from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ServiceKpiCommon


@tagged("post_install", "-at_install")
class TestKpiUi(HttpCase, ServiceKpiCommon):
    def test_overview_opens_the_pivot(self):
        # An hour of work on the first weekday of this month, so that it has a utilization.
        day = fields.Date.today().replace(day=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        job = self._assign(f"{day} 13:00:00", f"{day} 14:00:00", order=self.service, state="confirmed")
        self._work(f"{day} 13:00:00", f"{day} 14:00:00", job=job)
        self.start_tour("/odoo/service-kpis", "service_kpi_overview_tour", login=self.manager.login)
