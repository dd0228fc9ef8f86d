from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestServiceOrderSecurity(ServiceOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._create_order(user_id=cls.technician.id)
        cls.followed = cls._create_order(user_id=cls.dispatcher.id)
        cls.followed.message_subscribe(partner_ids=cls.technician.partner_id.ids)
        cls.foreign = cls._create_order(user_id=cls.dispatcher.id)

    def test_technician_sees_only_orders_they_work_on(self):
        Order = self.env["service.order"].with_user(self.technician)
        visible = Order.search([("id", "in", (self.own | self.followed | self.foreign).ids)])
        self.assertEqual(visible, self.own, "following an order grants nothing")
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.followed.with_user(self.technician).read(["name"])

    def test_technician_cannot_create_or_delete(self):
        with self.assertRaises(AccessError):
            self.env["service.order"].with_user(self.technician).create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            self.own.with_user(self.technician).unlink()

    def test_technician_can_update_their_order(self):
        self.own.with_user(self.technician).notes = "<p>Gate code 1234</p>"
        self.assertIn("1234", self.own.notes)

    def test_technician_cannot_change_what_was_sold(self):
        as_tech = self.own.with_user(self.technician)
        with self.assertRaisesRegex(AccessError, "Only dispatchers can change Sold Hours"):
            as_tech.sold_hours = 100
        with self.assertRaisesRegex(AccessError, "Customer"):
            as_tech.partner_id = self.env["res.partner"].create({"name": "Someone else"})
        self.assertEqual(self.own.sold_hours, 8.0)
        self.assertFalse(as_tech.is_dispatcher)
        self.assertTrue(self.own.with_user(self.dispatcher).is_dispatcher)

    def test_dispatcher_sees_and_creates_all_but_cannot_delete(self):
        Order = self.env["service.order"].with_user(self.dispatcher)
        self.assertEqual(Order.search_count([("id", "in", (self.own | self.foreign).ids)]), 2)
        order = Order.create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            order.unlink()

    def test_manager_configures_sla_and_deletes_drafts(self):
        policy = (
            self.env["service.sla.policy"]
            .with_user(self.manager)
            .create({"name": "Gold", "response_hours": 1, "resolution_hours": 8})
        )
        self.assertEqual(policy.resolution_hours, 8)
        with self.assertRaises(AccessError):
            self.env["service.sla.policy"].with_user(self.dispatcher).create(
                {"name": "Silver", "response_hours": 1, "resolution_hours": 8}
            )
        self.foreign.with_user(self.manager).unlink()
        self.assertFalse(self.foreign.exists())

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Service Co. North"})
        other_manager = new_test_user(
            self.env,
            "svc_north_manager",
            "service_order.group_service_manager",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )
        other_order = (
            self.env["service.order"].with_user(other_manager).create({"partner_id": self.customer.id})
        )
        self.assertEqual(other_order.company_id, other_company)
        self.assertFalse(
            self.env["service.order"].with_user(self.manager).search([("id", "=", other_order.id)])
        )
        self.assertFalse(
            self.env["service.order"].with_user(other_manager).search([("id", "=", self.own.id)])
        )
        with self.assertRaises(AccessError):
            self.own.with_user(other_manager).read(["name"])
        # A record of one company cannot point to a policy of another.
        with self.assertRaises(UserError):
            other_order.sudo().sla_policy_id = self.env["service.sla.policy"].create(
                {
                    "name": "Main only",
                    "response_hours": 1,
                    "resolution_hours": 2,
                    "company_id": self.company.id,
                }
            )
