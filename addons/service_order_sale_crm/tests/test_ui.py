from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSalespersonUi(HttpCase):
    def test_salesperson_quotes_revises_and_confirms(self):
        self.env["product.product"].create(
            {
                "name": "Tour Service Hour",
                "type": "service",
                "uom_id": self.env.ref("uom.product_uom_hour").id,
                "list_price": 60,
                "invoice_policy": "order",
                "generate_service_order": True,
            }
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Tour request: broken boiler",
                "type": "lead",
                "intake_channel": "web",
                "contact_name": "Tour Contact",
                "partner_name": "Tour Customer Ltd",
                "email_from": "tour.customer@example.com",
                "street": "Tourstraat 1",
                "city": "Ghent",
                "service_need": "The boiler is broken.",
                "window_start": "2030-02-04 08:00:00",
                "window_end": "2030-02-04 12:00:00",
            }
        )
        self.env.ref("base.user_admin").group_ids |= self.env.ref("crm.group_use_lead")
        self.start_tour(
            f"/odoo/action-crm.crm_lead_all_leads/{lead.id}",
            "service_order_sale_crm_salesperson_tour",
            login="admin",
        )
        self.assertEqual(lead.type, "opportunity")
        quotes = lead.order_ids
        self.assertEqual(sorted(quotes.mapped("state")), ["cancel", "sale"])
        confirmed = quotes.filtered(lambda order: order.state == "sale")
        self.assertEqual(confirmed.revision, 1)
        self.assertEqual(confirmed.service_order_ids.sold_hours, 3.0)
        self.assertIn("The boiler is broken.", confirmed.service_order_ids.scope)
