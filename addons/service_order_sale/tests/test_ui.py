from odoo.fields import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSalespersonUi(HttpCase):
    def test_salesperson_revises_and_confirms(self):
        product = self.env["product.product"].create(
            {
                "name": "Tour Service Hour",
                "type": "service",
                "uom_id": self.env.ref("uom.product_uom_hour").id,
                "list_price": 60,
                "invoice_policy": "order",
                "generate_service_order": True,
            }
        )
        quote = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Tour Customer Ltd"}).id,
                "service_scope": "<p>Replace the pump.</p>",
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3})],
            }
        )
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{quote.id}",
            "service_order_sale_salesperson_tour",
            login="admin",
        )
        confirmed = quote.next_revision_id
        self.assertEqual((quote.state, confirmed.state, confirmed.revision), ("cancel", "sale", 1))
        self.assertEqual(confirmed.service_order_ids.sold_hours, 3.0)
        self.assertIn("Replace the pump.", confirmed.service_order_ids.scope)
