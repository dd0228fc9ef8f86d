from odoo.addons.service_order_planning.tests.common import ServicePlanningCommon


class TimeClockCommon(ServicePlanningCommon):
    """On top of the planning fixtures: the customer's site in Ghent has coordinates, and the
    technician Ada has a confirmed assignment on Monday 2026-11-30 from 8:00 to 12:00 UTC."""

    GHENT = (51.0543, 3.7174)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_site.write({"partner_latitude": cls.GHENT[0], "partner_longitude": cls.GHENT[1]})
        cls.assignment = cls._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00", state="confirmed")
        cls.Attendance = cls.env["service.attendance"]

    def as_tech(self, record=None):
        return (record or self.assignment).with_user(self.technician)
