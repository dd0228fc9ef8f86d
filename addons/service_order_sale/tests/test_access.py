from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
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

    def test_nobody_links_an_order_to_a_sale_by_hand(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        service.user_id = self.technician
        unrelated = self._create_quote([(self.product_hour, 1)])
        manual = self._create_order(user_id=self.technician.id)
        self.dispatcher.group_ids |= self.env.ref("sales_team.group_sale_salesman_all_leads")
        for user in (self.technician, self.dispatcher, self.manager):
            for context in ({}, {"service_order_set_state": True}):
                with self.subTest(user=user.login, context=context):
                    with self.assertRaisesRegex(
                        AccessError, "Sale Order of a service order cannot be changed"
                    ):
                        manual.with_user(user).with_context(**context).write({"sale_order_id": unrelated.id})
                    with self.assertRaises(AccessError):
                        service.with_user(user).with_context(**context).write({"sale_order_id": False})
        with self.assertRaisesRegex(AccessError, "Sale Lines of a service order cannot be changed"):
            manual.with_user(self.dispatcher).write(
                {"sale_line_ids": [Command.set(unrelated.order_line.ids)]}
            )
        with self.assertRaisesRegex(AccessError, "Sale Order of a service order cannot be changed"):
            self.env["service.order"].with_user(self.dispatcher).create(
                {"partner_id": self.customer.id, "sale_order_id": unrelated.id}
            )
        self.assertFalse(manual.sale_order_id)
        self.assertEqual(service.sale_order_id, quote)
        self.assertFalse(unrelated.service_order_ids)

    def test_an_order_from_a_sale_stays_in_its_company(self):
        other = self.env["res.company"].create({"name": "Service Co. Other"})
        self.dispatcher.company_ids |= other
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        manual = self._create_order()
        allowed = [self.company.id, other.id]
        with self.assertRaisesRegex(
            UserError, rf"deliver a sale and stay in its company: {service.name} \({quote.name}, "
        ):
            (service | manual).with_user(self.dispatcher).with_context(allowed_company_ids=allowed).write(
                {"company_id": other.id}
            )
        self.assertEqual((service | manual).company_id, self.company)
        manual.with_user(self.dispatcher).with_context(allowed_company_ids=allowed).company_id = other
        self.assertEqual(manual.company_id, other, "an order without a sale may move")
