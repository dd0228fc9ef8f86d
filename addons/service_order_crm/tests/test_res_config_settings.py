from lxml import etree

from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestServiceSettings(TransactionCase):
    def test_service_requests_block_in_the_service_app(self):
        arch = etree.fromstring(self.env["res.config.settings"].get_view(view_type="form")["arch"])
        [app] = arch.xpath("//app[@name='service_order']")
        self.assertEqual(app.get("string"), "Service")
        self.assertTrue(app.xpath(".//block[@name='service_order_features_block']"), "the app's own block")
        self.assertTrue(
            app.xpath(".//block[@name='service_request_block']//field[@name='service_request_team_id']")
        )
        self.assertFalse(arch.xpath("//app[@name='crm']//block[@name='service_request_block']"))

        team = self.env["crm.team"].create({"name": "Settings Team"})
        with Form(self.env["res.config.settings"]) as settings:
            settings.service_request_team_id = team
        self.assertEqual(self.env.company.service_request_team_id, team)

    def test_settings_menu_opens_the_service_app(self):
        menu = self.env.ref("service_order.res_config_settings_menu")
        self.assertEqual(menu.parent_id, self.env.ref("service_order.service_menu_config"))
        self.assertEqual(menu.action.context, "{'module': 'service_order', 'bin_size': False}")
