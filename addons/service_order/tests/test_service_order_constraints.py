from odoo.tests import tagged

from .common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestServiceOrderConstraints(ServiceOrderCommon):
    def test_negative_sold_hours_refused(self):
        self.assertConstraintRefuses(
            "service.order",
            "sold hours of a service order cannot be negative",
            lambda: self._create_order(sold_hours=-1.0),
        )
        order = self._create_order()
        self.assertConstraintRefuses(
            "service.order", "cannot be negative", lambda: order.write({"sold_hours": -0.5})
        )
        self.assertEqual(order.sold_hours, 8.0, "the order keeps its hours")

    def test_end_before_start_refused(self):
        self.assertConstraintRefuses(
            "service.order",
            "planned end of a service order cannot be before its start",
            lambda: self._create_order(date_start="2026-11-27 10:00:00", date_end="2026-11-27 09:00:00"),
        )
        order = self._create_order(date_start="2026-11-27 10:00:00", date_end="2026-11-27 10:00:00")
        self.env.flush_all()
        self.assertEqual(order.date_end, order.date_start, "an end equal to the start is fine")

    def test_sla_policy_bad_hours_refused(self):
        Policy = self.env["service.sla.policy"]
        for values, message in (
            (
                {"response_hours": 0, "resolution_hours": 8},
                "response time of an SLA policy must be more than 0",
            ),
            (
                {"response_hours": -2, "resolution_hours": 8},
                "response time of an SLA policy must be more than 0",
            ),
            ({"response_hours": 8, "resolution_hours": 4}, "cannot be shorter than its response time"),
            (
                {"response_hours": 1, "resolution_hours": 4, "at_risk_percent": 100},
                "between 1 and 99 percent",
            ),
        ):
            self.assertConstraintRefuses(
                "service.sla.policy", message, lambda v=values: Policy.create({"name": "Bad", **v})
            )
