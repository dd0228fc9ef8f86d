from odoo.exceptions import ValidationError
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

    def test_dates_out_of_range_refused_by_name(self):
        # Year 1 could not be numbered, and would break every grouping of orders by week.
        order = self._create_order(date_start="2026-11-27 10:00:00")
        Order = self.env["service.order"].with_user(self.dispatcher)
        for values, shown in (
            ({"date_start": "0001-06-01 10:00:00"}, "0001-06-01 10:00:00"),
            ({"date_start": "2200-01-01 00:00:00"}, "2200-01-01 00:00:00"),
            ({"date_end": "9999-12-31 23:00:00"}, "9999-12-31 23:00:00"),
            ({"date_start": "tomorrow"}, "tomorrow"),
            ({"date_start": 42}, "42"),
        ):
            refusal = f"“{shown}” is not a date and time between 1900 and 2199"
            with self.subTest(values=values):
                with self.assertRaisesRegex(ValidationError, refusal):
                    Order.create({"partner_id": self.customer.id, **values})
                with self.assertRaisesRegex(ValidationError, refusal):
                    order.with_user(self.dispatcher).write(values)
        self.assertEqual(str(order.date_start), "2026-11-27 10:00:00", "the order keeps its date")
        # The database holds the bounds too, for writes that bypass the ORM's checks.
        self.assertConstraintRefuses(
            "service.order",
            "must be between 1900 and 2199",
            lambda: self.env.cr.execute(
                "UPDATE service_order SET date_start = '0001-01-01' WHERE id = %s", [order.id]
            ),
        )
        edges = Order.create(
            [
                {"partner_id": self.customer.id, "date_start": "1900-01-01 00:00:00"},
                {"partner_id": self.customer.id, "date_end": "2199-12-31 23:59:59"},
            ]
        )
        self.env.flush_all()
        self.assertEqual(len(edges), 2, "the first and the last moment allowed are fine")

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
