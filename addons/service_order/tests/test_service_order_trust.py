from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ServiceOrderCommon

# Everything a caller could try to forge over RPC, with a plausible forged value.
FORGED = {
    "state": "done",
    "name": "SRV/FAKE/00001",
    "planned_hours": 40.0,
    "worked_hours": 999.0,
    "remaining_hours": 0.0,
    "date_response": "2026-11-27 10:05:00",
    "date_resolved": "2026-11-27 10:10:00",
    "response_deadline": "2030-01-01 00:00:00",
    "resolution_deadline": "2030-01-01 00:00:00",
    "response_risk_date": "2030-01-01 00:00:00",
    "resolution_risk_date": "2030-01-01 00:00:00",
    "sla_response_late": False,
    "sla_resolution_late": False,
}


@tagged("post_install", "-at_install")
class TestServiceOrderTrust(ServiceOrderCommon):
    """Whatever reaches the server can be forged: each role is tried through the ORM as that user,
    as an RPC call would, with and without the context key that used to unlock the state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(user_id=cls.technician.id, sla_policy_id=cls.sla_policy.id)

    def _snapshot(self):
        self.order.invalidate_recordset()
        return {name: self.order[name] for name in FORGED}

    def test_nobody_writes_system_fields(self):
        before = self._snapshot()
        for user in (self.technician, self.dispatcher, self.manager):
            for context in ({}, {"service_order_set_state": True}):
                for name, value in FORGED.items():
                    with self.subTest(user=user.login, field=name, context=context):
                        record = self.order.with_user(user).with_context(**context)
                        with self.assertRaisesRegex(AccessError, "cannot be changed by hand"):
                            record.write({name: value})
        self.assertEqual(self._snapshot(), before, "nothing was written")

    def test_state_moves_only_through_the_actions(self):
        as_tech = self.order.with_user(self.technician).with_context(service_order_set_state=True)
        for state in ("done", "cancelled", "in_progress"):
            with self.assertRaises(AccessError):
                as_tech.write({"state": state})
        self.assertEqual(self.order.state, "draft")
        self.order.with_user(self.dispatcher).action_schedule()
        self.order.with_user(self.technician).action_start()
        self.assertEqual(self.order.state, "in_progress")

    def test_orders_cannot_be_created_in_a_later_state(self):
        Order = self.env["service.order"].with_user(self.dispatcher)
        with self.assertRaisesRegex(AccessError, "State"):
            Order.create({"partner_id": self.customer.id, "state": "done"})
        with self.assertRaisesRegex(AccessError, "State"):
            Order.with_context(default_state="done").create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(AccessError, "Resolved On"):
            Order.create({"partner_id": self.customer.id, "date_resolved": "2026-11-27 10:00:00"})
        with self.assertRaisesRegex(AccessError, "Worked Hours"):
            Order.create({"partner_id": self.customer.id, "worked_hours": 12})
        # The defaults the form sends are fine.
        order = Order.create({"partner_id": self.customer.id, "state": "draft", "name": "New"})
        self.assertEqual(order.state, "draft")
        self.assertRegex(order.name, r"^SRV/\d{4}/\d{5}$")

    def test_technician_writes_only_their_allowlist(self):
        as_tech = self.order.with_user(self.technician)
        as_tech.write({"notes": "<p>Gate code 1234</p>", "priority": "1", "color": 3})
        self.assertEqual(self.order.priority, "1")
        for name, value in (
            ("scope", "<p>Everything for free</p>"),
            ("sold_hours", 100),
            ("user_id", self.dispatcher.id),
            ("date_start", "2026-11-01 00:00:00"),
        ):
            with self.subTest(field=name), self.assertRaisesRegex(AccessError, "Only dispatchers"):
                as_tech.write({name: value})

    def test_the_allowlist_is_extensible_and_shown_to_the_client(self):
        fields_tech = (
            self.env["service.order"]
            .with_user(self.technician)
            .fields_get(["notes", "sold_hours", "worked_hours", "scope"], ["readonly"])
        )
        self.assertFalse(fields_tech["notes"]["readonly"])
        self.assertTrue(fields_tech["sold_hours"]["readonly"], "what a technician can't save looks read-only")
        self.assertTrue(fields_tech["scope"]["readonly"])
        fields_disp = (
            self.env["service.order"]
            .with_user(self.dispatcher)
            .fields_get(["sold_hours", "worked_hours"], ["readonly"])
        )
        self.assertFalse(fields_disp["sold_hours"]["readonly"])
        self.assertTrue(fields_disp["worked_hours"]["readonly"])
        self.assertIn("notes", self.env["service.order"]._get_technician_writable_fields())
        self.assertIn("worked_hours", self.env["service.order"]._get_protected_fields())

    def test_following_does_not_grant_access(self):
        foreign = self._create_order(user_id=self.dispatcher.id)
        foreign.message_subscribe(partner_ids=self.technician.partner_id.ids)
        Order = self.env["service.order"].with_user(self.technician)
        self.assertFalse(Order.search([("id", "=", foreign.id)]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.technician).read(["name"])
        self.assertEqual(Order.search([("id", "=", self.order.id)]), self.order)

    def test_technician_reads_their_order_without_a_field_list(self):
        values = self.order.with_user(self.technician).read()[0]
        self.assertEqual(values["name"], self.order.name)

    def test_company_moves(self):
        north = self.env["res.company"].create({"name": "Service Co. North"})
        south = self.env["res.company"].create({"name": "Service Co. South"})
        dispatcher = new_test_user(
            self.env,
            "svc_two_company_dispatcher",
            "service_order.group_service_dispatcher",
            company_id=self.company.id,
            company_ids=[self.company.id, north.id],
        )
        order = self._create_order()
        allowed = [self.company.id, north.id]
        as_dispatcher = order.with_user(dispatcher).with_context(allowed_company_ids=allowed)
        with self.assertRaisesRegex(AccessError, "you do not work for that company"):
            as_dispatcher.company_id = south
        self.assertEqual(order.company_id, self.company)
        as_dispatcher.company_id = north
        self.assertEqual(order.company_id, north)
