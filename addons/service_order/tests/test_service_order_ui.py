from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestServiceOrderUi(HttpCase):
    def test_create_order_through_the_ui(self):
        self.env["res.partner"].create({"name": "Tour Customer Ltd", "is_company": True})
        self.start_tour(
            "/odoo/action-service_order.service_order_action", "service_order_create_tour", login="admin"
        )
        order = self.env["service.order"].search([("partner_id.name", "=", "Tour Customer Ltd")])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.sold_hours, 3.5)
        self.assertEqual(order.state, "scheduled")
