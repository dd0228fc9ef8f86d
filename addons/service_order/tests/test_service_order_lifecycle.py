from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestServiceOrderLifecycle(ServiceOrderCommon):
    def test_sequence_site_and_defaults(self):
        order = self._create_order()
        self.assertRegex(order.name, r"^SRV/\d{4}/\d{5}$")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.site_id, self.customer_site, "the site defaults to the delivery address")
        self.assertEqual(order.remaining_hours, 8.0)
        self.assertNotEqual(self._create_order().name, order.name)

    @freeze_time("2026-11-27 11:00:00")
    def test_full_lifecycle_sets_sla_actuals(self):
        order = self._create_order(sla_policy_id=self.sla_policy.id)
        self.flush_tracking()
        # Scheduling answers the SLA unless a module records the response otherwise (the time
        # clock takes the first arrival on site); the hook says which.
        answers = "date_response" in order._prepare_state_values("scheduled", fields.Datetime.now())
        order.action_schedule()
        self.flush_tracking()
        self.assertEqual(order.state, "scheduled")
        self.assertEqual(order.date_response, answers and fields.Datetime.now())
        order.action_start()
        self.flush_tracking()
        self.assertEqual(order.state, "in_progress")
        order.action_done()
        self.flush_tracking()
        self.assertEqual(order.state, "done")
        self.assertEqual(str(order.date_resolved), "2026-11-27 11:00:00")
        self.assertEqual(str(order.date_response), "2026-11-27 11:00:00", "done answers at the latest")
        self.assertEqual(order.sla_status, "met")
        tracked = order.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(len(tracked), 3, "each move of the state is tracked in the chatter")

    def test_illegal_moves_are_refused(self):
        order = self._create_order()
        order.action_cancel()
        with self.assertRaisesRegex(UserError, r"cannot be set to Done"):
            order.action_done()
        order.action_draft()
        order.action_schedule()
        order.action_done()
        with self.assertRaisesRegex(UserError, r"cannot be set to Cancelled"):
            order.action_cancel()
        with self.assertRaisesRegex(UserError, r"cannot be set to Scheduled"):
            order.action_schedule()
        self.assertEqual(order.state, "done")
        with self.assertRaisesRegex(UserError, "Only draft or cancelled"):
            order.unlink()

    def test_move_checks_the_state_in_the_database(self):
        """Another worker finished the order after this one read it: cancelling must see that."""
        order = self._create_order()
        order.action_schedule()
        self.env.flush_all()
        self.assertEqual(order.state, "scheduled")
        self.env.cr.execute("UPDATE service_order SET state = 'done' WHERE id = %s", [order.id])
        with self.assertRaisesRegex(UserError, r"\(Done\) cannot be set to Cancelled"):
            order.action_cancel()

    def test_state_changes_only_through_actions(self):
        order = self._create_order()
        order.action_schedule()
        order.action_done()
        for context in ({}, {"service_order_set_state": True}):
            with self.assertRaisesRegex(AccessError, "cannot be changed by hand"):
                order.with_user(self.manager).with_context(**context).write({"state": "draft"})
        self.assertEqual(order.state, "done")

    def test_batch_refusal_names_every_offending_order(self):
        orders = self._create_order() | self._create_order() | self._create_order()
        orders[1:].action_cancel()
        with self.assertRaises(UserError) as caught:
            orders.action_done()
        for order in orders:
            self.assertIn(order.name, str(caught.exception))
        self.assertEqual(orders.mapped("state"), ["draft", "cancelled", "cancelled"], "nothing moved")

    def test_reset_to_draft_clears_sla_actuals(self):
        order = self._create_order(sla_policy_id=self.sla_policy.id)
        order.action_schedule()
        order.action_cancel()
        order.action_draft()
        self.assertFalse(order.date_response)
        self.assertEqual(order.state, "draft")

    def test_technician_cannot_cancel_but_can_work(self):
        order = self._create_order(user_id=self.technician.id)
        order.action_schedule()
        as_tech = order.with_user(self.technician)
        with self.assertRaises(AccessError):
            as_tech.action_cancel()
        as_tech.action_start()
        as_tech.action_done()
        self.assertEqual(order.state, "done")
