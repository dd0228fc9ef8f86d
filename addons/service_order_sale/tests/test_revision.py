from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ServiceOrderSaleCommon


@tagged("post_install", "-at_install")
class TestRevision(ServiceOrderSaleCommon):
    def test_revise_cancels_and_links_the_quote(self):
        quote = self._create_quote([(self.product_hour, 4)])
        action = quote.with_user(self.salesman).action_revise()
        revision = quote.next_revision_id
        self.assertEqual(action["res_id"], revision.id)
        self.assertEqual(quote.state, "cancel")
        self.assertRecordValues(
            revision,
            [
                {
                    "name": f"{quote.name}-R1",
                    "revision": 1,
                    "previous_revision_id": quote.id,
                    "revision_root_id": quote.id,
                    "state": "draft",
                    "sla_policy_id": self.sla_policy.id,
                    "partner_shipping_id": self.customer_site.id,
                }
            ],
        )
        self.assertEqual(revision.order_line.product_id, self.product_hour)
        self.assertIn("Repair the heating", revision.service_scope)
        self.assertIn(f"{quote.name}-R1", quote.message_ids[0].body)
        self.assertIn(quote.name, revision.message_ids[0].body)

        second = revision.action_revise() and revision.next_revision_id
        self.assertEqual(
            (second.revision, second.revision_root_id, second.name), (2, quote, f"{quote.name}-R2")
        )
        for order in quote | revision | second:
            self.assertEqual(
                order.revision_ids, quote | revision | second, "the history is visible from any revision"
            )
            self.assertEqual(order.revision_count, 3)
        self.assertFalse(self._create_quote([(self.product_hour, 1)]).revision_count)

    def test_only_open_quotes_are_revised_once(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_revise()
        with self.assertRaisesRegex(UserError, rf"{quote.name} is revised by {quote.name}-R1"):
            quote.action_revise()
        confirmed = self._create_quote([(self.product_hour, 4)])
        confirmed.action_confirm()
        with self.assertRaisesRegex(UserError, rf"{confirmed.name} is Sales Order"):
            confirmed.action_revise()

    def test_the_chatter_says_what_changed(self):
        quote = self._create_quote([(self.product_hour, 4), (self.product_travel, 1)])
        quote.action_revise()
        revision = quote.next_revision_id
        premium = self.env["service.sla.policy"].create(
            {
                "name": "Premium",
                "response_hours": 2,
                "resolution_hours": 8,
                "resource_calendar_id": self.calendar.id,
            }
        )
        hour_line = revision.order_line.filtered(lambda line: line.product_id == self.product_hour)
        hour_line.write({"product_uom_qty": 6, "price_unit": 55.0})
        revision.order_line.filtered(lambda line: line.product_id == self.product_travel).unlink()
        revision.write(
            {
                "sla_policy_id": premium.id,
                "service_scope": "<p>Repair the heating and bleed the radiators</p>",
                "order_line": [(0, 0, {"product_id": self.product_day.id, "product_uom_qty": 1})],
            }
        )
        revision.action_quotation_sent()
        body = revision.message_ids.filtered(lambda m: "Changes since revision 0" in m.body).body
        for change in (
            "Added Installation day: 1.0 Days",
            "Repair hour: 4.0 Hours → 6.0 Hours",
            "Repair hour: unit price 60.0 → 55.0",
            "Removed Travel fee",
            "The scope of work changed.",
            "SLA policy: Test SLA (4h / 16h) → Premium (2h / 8h)",
            "Total:",
        ):
            self.assertIn(change, body)
        self.assertNotIn("service notes", body)

    def test_the_changes_are_posted_once(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_revise()
        revision = quote.next_revision_id
        revision.order_line.product_uom_qty = 6
        revision.with_user(self.salesman).action_quotation_sent()
        revision.with_user(self.salesman).action_confirm()
        changes = revision.message_ids.filtered(lambda m: "Changes since revision 0" in m.body)
        self.assertEqual(len(changes), 1, "sent, then confirmed: one list of changes")
        self.assertIn("Repair hour: 4.0 Hours → 6.0 Hours", changes.body)
        confirmed_unsent = self._create_quote([(self.product_hour, 1)])
        confirmed_unsent.action_revise()
        confirmed_unsent.next_revision_id.action_confirm()
        self.assertEqual(
            len(confirmed_unsent.next_revision_id.message_ids.filtered(lambda m: "Changes since" in m.body)),
            1,
        )
