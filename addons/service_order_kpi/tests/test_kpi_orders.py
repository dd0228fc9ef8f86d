from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import ServiceKpiCommon


@tagged("post_install", "-at_install")
class TestKpiOrders(ServiceKpiCommon):
    """SLA met % and first-time fix, and the follow-up orders behind the latter."""

    def _visited_order(self, site, days, hour=13):
        """A done order at ``site`` with an hour of Ada's work from ``hour`` on each of ``days``
        (her mornings of Tuesday are booked already), resolved at 18:00 of the last one."""
        order = self._create_order(site_id=site.id, date_start=f"{days[0]} 08:00:00")
        for day in days:
            job = self._assign(
                f"{day} {hour}:00:00", f"{day} {hour + 1}:00:00", order=order, state="confirmed"
            )
            self._work(f"{day} {hour}:00:00", f"{day} {hour + 1}:00:00", job=job)
        with freeze_time(f"{days[-1]} 18:00:00"):
            order.sudo()._set_state("in_progress")
            order.sudo()._set_state("done")
        return order

    def _follow_up(self, order, opened):
        follow_up = self.env["service.order"].browse(order.action_create_follow_up()["res_id"])
        # The creation date is the database's clock, which freeze_time does not move.
        self.env.cr.execute("UPDATE service_order SET create_date = %s WHERE id = %s", (opened, follow_up.id))
        follow_up.invalidate_recordset(["create_date"])
        return follow_up

    def test_follow_up_button(self):
        with self.assertRaisesRegex(UserError, self.order.name):
            self.order.with_user(self.dispatcher).action_create_follow_up()
        origin = self._visited_order(self.customer_site, ["2026-12-01"])
        self.assertEqual(origin.service_visit_count, 1)
        action = origin.with_user(self.dispatcher).action_create_follow_up()
        follow_up = self.env["service.order"].browse(action["res_id"])
        self.assertEqual(follow_up.origin_order_id, origin)
        self.assertEqual(follow_up.site_id, self.customer_site)
        self.assertEqual(follow_up.partner_id, self.customer)
        self.assertEqual(origin.follow_up_count, 1)
        self.assertEqual(follow_up.state, "draft")
        # The link is the action's to set, nobody's to type in.
        with self.assertRaises(Exception):  # noqa: B017 - AccessError or UserError, by field access
            follow_up.with_user(self.dispatcher).write({"origin_order_id": False})

    def test_first_time_fix_within_and_outside_the_window(self):
        self.assertEqual(self.company.service_follow_up_days, 30)
        followed = self._visited_order(self.customer_site, ["2026-12-01"])
        late_follow_up = self._visited_order(self.other_site, ["2026-12-01"], hour=15)
        two_visits = self._visited_order(self.other_site, ["2026-12-03", "2026-12-04"])
        self._follow_up(followed, "2026-12-20 09:00:00")
        self._follow_up(late_follow_up, "2027-01-15 09:00:00")
        orders = followed | late_follow_up | two_visits
        per_order = self.figures(
            [("service_order_id", "in", orders.ids)],
            ["service_order_id"],
            measures=("done_orders", "first_fix_orders"),
        )
        self.assertEqual(
            {
                order: (values["done_orders"], values["first_fix_orders"])
                for order, values in per_order.items()
            },
            {followed: (1.0, 0.0), late_follow_up: (1.0, 1.0), two_visits: (1.0, 0.0)},
        )
        rate = self.figures(
            [("service_order_id", "in", orders.ids)], ["employee_id"], measures=("first_time_fix_percent",)
        )
        self.assertAlmostEqual(rate[self.tech_employee]["first_time_fix_percent"], 100.0 / 3)
        # A wider window catches the late follow-up too.
        self.company.service_follow_up_days = 60
        rate = self.figures([("service_order_id", "in", orders.ids)], measures=("first_time_fix_percent",))
        self.assertAlmostEqual(rate["first_time_fix_percent"], 0.0)

    def test_sla_met_percent(self):
        met = self._create_order(sla_policy_id=self.sla_policy.id)
        breached = self._create_order(sla_policy_id=self.sla_policy.id)
        running = self._create_order(sla_policy_id=self.sla_policy.id, date_start="2027-06-01 08:00:00")
        minute = timedelta(minutes=1)
        met.sudo().write(
            {
                "date_response": met.response_deadline - minute,
                "date_resolved": met.resolution_deadline - minute,
            }
        )
        breached.sudo().write(
            {
                "date_response": breached.response_deadline - minute,
                "date_resolved": breached.resolution_deadline + minute,
            }
        )
        self.assertTrue(running.resolution_deadline)
        domain = [("service_order_id", "in", (met | breached | running).ids)]
        figures = self.figures(domain, measures=("sla_orders", "sla_met_orders"))
        # The running order's SLA is not decided yet: it counts in neither.
        self.assertFigures(figures, {"sla_orders": 2.0, "sla_met_orders": 1.0})
        per_policy = self.figures(domain, ["sla_policy_id"], measures=("sla_met_percent",))
        self.assertAlmostEqual(per_policy[self.sla_policy]["sla_met_percent"], 50.0)

    def test_follow_up_window_is_checked(self):
        for days in (-1, 3651):
            with self.assertRaisesRegex(ValidationError, f"{days} days"):
                self.company.service_follow_up_days = days
        self.company.service_follow_up_days = 0
        self.assertEqual(self.company.service_follow_up_days, 0)
