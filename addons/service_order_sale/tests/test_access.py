from odoo.exceptions import UserError
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

    def test_technician_reads_the_whole_order(self):
        """The mobile app and integrations read an order with no field list."""
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        service.user_id = self.technician
        [values] = service.with_user(self.technician).read()
        self.assertEqual(values["sold_hours"], 4.0)
        self.assertEqual(values["sale_order_id"], (quote.id, quote.display_name))
        self.assertNotIn("sale_line_ids", values, "sale lines are for salespeople")
        self.dispatcher.group_ids |= self.env.ref("sales_team.group_sale_salesman_all_leads")
        [values] = service.with_user(self.dispatcher).read()
        self.assertEqual(values["sale_line_ids"], quote.order_line.ids)

    def test_sold_hours_editable_only_where_they_can_be_saved(self):
        manual = self._create_order(sold_hours=6.0, user_id=self.technician.id)
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        from_sale = quote.service_order_ids
        from_sale.user_id = self.technician
        for service in (manual, from_sale):
            with self.subTest(service=service.name, user="technician"):
                form = Form(service.with_user(self.technician))
                with self.assertRaisesRegex(AssertionError, "readonly"):
                    form.sold_hours = 3.0
        form = Form(manual.with_user(self.dispatcher))
        form.sold_hours = 7.5
        form.save()
        self.assertEqual(manual.sold_hours, 7.5)
        form = Form(from_sale.with_user(self.dispatcher))
        with self.assertRaisesRegex(AssertionError, "readonly"):
            form.sold_hours = 3.0

    def test_sold_hours_of_a_sale_follow_the_sale(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        for user in (self.dispatcher, self.manager):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(UserError, rf"The sold hours of {service.name} come from their sale"),
            ):
                service.with_user(user).write({"sold_hours": 40.0})
        self.assertEqual(service.sold_hours, 4.0)
