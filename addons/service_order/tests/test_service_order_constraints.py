from psycopg2.errors import CheckViolation

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestServiceOrderConstraints(ServiceOrderCommon):
    @mute_logger("odoo.sql_db")
    def test_negative_sold_hours_refused(self):
        with self.assertRaisesRegex(ValidationError, "sold hours of a service order cannot be negative"):
            self._create_order(sold_hours=-1.0)

    @mute_logger("odoo.sql_db")
    def test_end_before_start_refused(self):
        with self.assertRaisesRegex(ValidationError, "planned end of a service order cannot be before its start"):
            self._create_order(date_start="2026-11-27 10:00:00", date_end="2026-11-27 09:00:00")
        order = self._create_order(date_start="2026-11-27 10:00:00", date_end="2026-11-27 10:00:00")
        self.assertTrue(order.exists())

    @mute_logger("odoo.sql_db")
    def test_sla_policy_bad_hours_refused(self):
        Policy = self.env["service.sla.policy"]
        with self.assertRaisesRegex(ValidationError, "response time of an SLA policy must be more than 0"):
            Policy.create({"name": "Zero", "response_hours": 0, "resolution_hours": 8})
        with self.assertRaisesRegex(ValidationError, "cannot be shorter than its response time"):
            Policy.create({"name": "Upside down", "response_hours": 8, "resolution_hours": 4})
        with self.assertRaisesRegex(ValidationError, "between 1 and 99 percent"):
            Policy.create({"name": "Never at risk", "response_hours": 1, "resolution_hours": 4,
                           "at_risk_percent": 100})

    def test_constraints_live_in_the_database(self):
        order = self._create_order()
        with mute_logger("odoo.sql_db"), self.assertRaises(CheckViolation), self.env.cr.savepoint():
            self.env.cr.execute("UPDATE service_order SET sold_hours = -5 WHERE id = %s", [order.id])
