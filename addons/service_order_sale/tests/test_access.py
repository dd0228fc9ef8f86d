from odoo.tests import Form, tagged

from .common import ServiceOrderSaleCommon


@tagged("post_install", "-at_install")
class TestAccess(ServiceOrderSaleCommon):
    def test_each_role_opens_its_side(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.with_user(self.salesman).action_confirm()
        service = quote.service_order_ids
        service.user_id = self.technician

        # The technician sees the order, not the sale behind it.
        form = Form(service.with_user(self.technician))
        self.assertEqual(form.sold_hours, 4.0)
        self.assertNotIn("sale_order_id", form._view["fields"])
        # A salesperson without service rights works on the quote without seeing service orders.
        form = Form(quote.with_user(self.salesman))
        self.assertNotIn("service_order_count", form._view["fields"])
        self.assertEqual(form.sla_policy_id, self.sla_policy)
        # A dispatcher who also sells sees both sides.
        self.dispatcher.group_ids |= self.env.ref("sales_team.group_sale_salesman_all_leads")
        form = Form(service.with_user(self.dispatcher))
        self.assertEqual(form.sale_order_id, quote)
        self.assertEqual(quote.with_user(self.dispatcher).service_order_count, 1)
