from unittest.mock import patch

from odoo.addons.service_order.models.service_order import ServiceOrder
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ServiceOrderSaleCommon


@tagged("post_install", "-at_install")
class TestServiceOrderGeneration(ServiceOrderSaleCommon):
    def test_confirmation_creates_one_order_with_the_sold_hours(self):
        quote = self._create_quote([(self.product_hour, 4), (self.product_day, 2), (self.product_travel, 1)])
        self.assertFalse(quote.service_order_ids)
        quote.with_user(self.salesman).action_confirm()
        service = quote.service_order_ids
        self.assertEqual(len(service), 1)
        self.assertRecordValues(
            service,
            [
                {
                    "partner_id": self.customer.id,
                    "site_id": self.customer_site.id,
                    "company_id": self.company.id,
                    "sale_order_id": quote.id,
                    "sla_policy_id": self.sla_policy.id,
                    "sold_hours": 4 + 2 * 8,
                    "state": "draft",
                }
            ],
        )
        self.assertEqual(
            service.sale_line_ids, quote.order_line[:2], "only the lines that create service orders"
        )
        self.assertEqual(quote.order_line[:2].service_order_id, service)
        self.assertFalse(quote.order_line[2].service_order_id)
        self.assertIn("Repair the heating", service.scope)
        self.assertIn("Key at the reception", service.notes)
        self.assertTrue(service.response_deadline, "the SLA deadlines run from the confirmation")
        self.assertEqual(quote.service_order_count, 1)

    def test_days_are_converted_to_hours(self):
        quote = self._create_quote([(self.product_day, 1)])
        quote.order_line.write({"product_uom_qty": 1.5})
        quote.action_confirm()
        self.assertEqual(quote.service_order_ids.sold_hours, 12.0)
        quote.order_line.product_uom_qty = 0.25
        self.assertEqual(quote.service_order_ids.sold_hours, 2.0)

    def test_sale_without_service_lines_creates_nothing(self):
        quote = self._create_quote([(self.product_travel, 1)])
        quote.action_confirm()
        self.assertFalse(quote.service_order_ids)
        quote.order_line = [Command.create({"product_id": self.product_hour.id, "product_uom_qty": 3})]
        self.assertEqual(quote.service_order_ids.sold_hours, 3.0, "a service line added later creates it")

    def test_lines_added_or_changed_after_confirmation(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        quote.order_line = [Command.create({"product_id": self.product_day.id, "product_uom_qty": 1})]
        self.assertEqual(service.sold_hours, 12.0)
        self.assertEqual(len(service.sale_line_ids), 2)
        quote.order_line.filtered(lambda line: line.product_id == self.product_hour).product_uom_qty = 6
        self.assertEqual(service.sold_hours, 14.0)
        self.assertEqual(quote.service_order_ids, service, "still one service order")

    def test_reconfirming_never_duplicates(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        quote._action_cancel()
        self.assertEqual(service.state, "cancelled")
        quote.action_draft()
        quote.action_confirm()
        self.assertEqual(quote.service_order_ids, service)
        self.assertEqual(service.state, "draft", "the cancelled order is reopened")
        self.assertEqual(service.sold_hours, 4.0)
        self.assertEqual(self.env["service.order"].search_count([("sale_order_id", "=", quote.id)]), 1)

    def test_reconfirming_with_other_lines(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        quote._action_cancel()
        quote.action_draft()
        quote.order_line = [Command.create({"product_id": self.product_day.id, "product_uom_qty": 1})]
        quote.order_line.filtered(lambda line: line.product_id == self.product_hour).unlink()
        self.assertEqual(service.sold_hours, 0.0, "the order has no sold line left")
        quote.action_confirm()
        self.assertEqual(quote.service_order_ids, service)
        self.assertEqual((service.state, service.sold_hours), ("draft", 8.0))

    def test_a_line_added_after_dispatch_cancelled_does_not_reopen_the_order(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        service.with_user(self.dispatcher).action_cancel()
        quote.with_user(self.salesman).order_line = [
            Command.create({"product_id": self.product_day.id, "product_uom_qty": 1})
        ]
        day_line = quote.order_line.filtered(lambda line: line.product_id == self.product_day)
        self.assertEqual(service.state, "cancelled", "the dispatcher's decision stands")
        self.assertFalse(day_line.service_order_id)
        self.assertEqual(service.sold_hours, 4.0)
        note = quote.message_ids[0]
        self.assertIn(f"The service order {service.name} was cancelled", note.body)
        self.assertIn("Installation day: 1.0 Days", note.body)
        self.assertIn(self.salesman.partner_id, note.partner_ids, "the salesperson is told")
        self.assertIn(
            f"Lines sold on {quote.name} after this order was cancelled", service.message_ids[0].body
        )

        # Reset by dispatch, the order takes the lines sold meanwhile.
        service.with_user(self.dispatcher).action_draft()
        self.assertEqual(day_line.service_order_id, service)
        self.assertEqual(service.sold_hours, 12.0)

    def test_reconfirming_after_the_sale_was_cancelled_reopens_the_order(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        service.with_user(self.dispatcher).action_cancel()
        quote.order_line = [Command.create({"product_id": self.product_day.id, "product_uom_qty": 1})]
        quote.with_user(self.salesman).action_cancel()
        quote.action_draft()
        quote.with_user(self.salesman).action_confirm()
        self.assertEqual((quote.service_order_ids, service.state), (service, "draft"))
        self.assertEqual(service.sold_hours, 12.0, "with the line sold while it was cancelled")

    def test_generation_can_be_disabled(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.with_context(disable_service_order_generation=True).with_user(self.salesman).action_confirm()
        self.assertEqual(quote.state, "sale")
        self.assertFalse(quote.service_order_ids)
        quote.with_context(disable_service_order_generation=True).order_line = [
            Command.create({"product_id": self.product_day.id, "product_uom_qty": 1})
        ]
        self.assertFalse(quote.service_order_ids)
        self.assertFalse(quote.order_line.service_order_id)
        # Without the key, the next service line creates an order for itself.
        quote.order_line = [Command.create({"product_id": self.product_hour.id, "product_uom_qty": 2})]
        self.assertEqual(quote.service_order_ids.sold_hours, 2.0)
        self.assertEqual(len(quote.order_line.filtered("service_order_id")), 1)

    def test_cancel_guard_is_a_method(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        quote._service_check_cancel()
        service.write({"worked_hours": 2.0})
        with self.assertRaisesRegex(UserError, rf"{quote.name}: {service.name}, 2 hours worked"):
            quote._service_check_cancel()
        self.assertEqual(quote.state, "sale")

    def test_delivery_sale_line(self):
        """Worked hours go to the last line sold in hours; without one, to the last line in days."""
        quote = self._create_quote(
            [(self.product_hour, 4), (self.product_day, 1), (self.product_hour, 2), (self.product_travel, 1)]
        )
        days_only = self._create_quote([(self.product_day, 1), (self.product_day, 2)])
        (quote | days_only).action_confirm()
        first_hour, _day, second_hour, _travel = quote.order_line
        lines = (quote.service_order_ids | days_only.service_order_ids)._get_delivery_sale_lines()
        self.assertEqual(
            lines,
            {quote.service_order_ids: second_hour, days_only.service_order_ids: days_only.order_line[1]},
        )
        second_hour.sequence = first_hour.sequence - 1
        self.assertEqual(
            quote.service_order_ids._get_delivery_sale_lines(), {quote.service_order_ids: first_hour}
        )
        self.assertEqual(self._create_order()._get_delivery_sale_lines(), {}, "a manual order has none")

    def test_one_service_order_per_sale_in_the_database(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        self.assertConstraintRefuses(
            "service.order",
            "A sale order has only one service order.",
            lambda: self._create_order(sale_order_id=quote.id),
        )

    def test_cancelling_the_sale_cancels_unworked_orders(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        service.action_schedule()
        quote.with_user(self.salesman).action_cancel()
        self.assertEqual(quote.state, "cancel")
        self.assertEqual(service.state, "cancelled")
        self.assertIn(quote.name, service.message_ids[0].body)

    def test_cancelling_is_refused_once_hours_were_worked(self):
        quote = self._create_quote([(self.product_hour, 4)])
        quote.action_confirm()
        service = quote.service_order_ids
        service.write({"worked_hours": 1.5, "user_id": self.technician.id})
        with self.assertRaisesRegex(
            UserError, rf"{quote.name}: {service.name}, 1.5 hours worked \(responsible: "
        ):
            quote.action_cancel()
        self.assertEqual((quote.state, service.state), ("sale", "draft"))

    def test_manual_orders_keep_their_sold_hours(self):
        service = self._create_order(sold_hours=6.0)
        self.assertEqual(service.sold_hours, 6.0)
        service.sold_hours = 7.5
        self.assertEqual(service.sold_hours, 7.5)
        self.assertFalse(service.sale_order_id)

    def test_confirming_many_quotes_creates_all_orders_in_one_create(self):
        quotes = self.env["sale.order"].union(
            *(
                self._create_quote([(self.product_hour, 1 + index % 5), (self.product_travel, 1)])
                for index in range(50)
            )
        )
        with patch.object(ServiceOrder, "create", autospec=True, side_effect=ServiceOrder.create) as create:
            quotes.action_confirm()
        self.assertEqual(create.call_count, 1)
        self.assertEqual(len(create.call_args.args[1]), 50)
        services = quotes.service_order_ids
        self.assertEqual(len(services), 50)
        self.assertEqual(len(set(services.mapped("name"))), 50)
        for quote in quotes:
            self.assertEqual(quote.service_order_ids.sold_hours, quote.order_line[0].product_uom_qty)

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Service Company B"})
        self.env.user.company_ids |= company_b
        sla_b = self.env["service.sla.policy"].create(
            {
                "name": "SLA B",
                "response_hours": 2,
                "resolution_hours": 8,
                "company_id": company_b.id,
                "resource_calendar_id": company_b.resource_calendar_id.id,
            }
        )
        product_b = self._create_service_product("Company B hour", self.uom_hour, 70.0, company=company_b)
        quote_a = self._create_quote([(self.product_hour, 2)])
        quote_b = (
            self.env["sale.order"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company_b.id,
                    "sla_policy_id": sla_b.id,
                    "order_line": [Command.create({"product_id": product_b.id, "product_uom_qty": 5})],
                }
            )
        )
        (quote_a | quote_b).action_confirm()
        self.assertRecordValues(
            quote_a.service_order_ids | quote_b.service_order_ids,
            [
                {"company_id": self.company.id, "sla_policy_id": self.sla_policy.id, "sold_hours": 2.0},
                {"company_id": company_b.id, "sla_policy_id": sla_b.id, "sold_hours": 5.0},
            ],
        )
        with self.assertRaises(UserError):
            quote_a.sla_policy_id = sla_b

    def test_planning_follows_the_customers_window(self):
        """The dispatch board plans into the window the customer asked for on the quote, and
        lists, among orders due at the same time, the earliest window first."""
        late, early, none = (
            self._create_order(
                sla_policy_id=self.sla_policy.id,
                window_start=start,
                window_end=start and start.replace("08:00", "12:00"),
            )
            for start in ("2026-12-04 08:00:00", "2026-11-30 08:00:00", False)
        )
        orders = late | early | none
        windows = orders._service_planning_windows()
        self.assertEqual(set(windows), {late.id, early.id}, "no window, no entry")
        self.assertEqual([str(d) for d in windows[early.id]], ["2026-11-30 08:00:00", "2026-11-30 12:00:00"])
        Order = self.env["service.order"]
        ranked = Order.search([("id", "in", orders.ids)], order=Order._service_planning_order())
        self.assertEqual(ranked.ids, [early.id, late.id, none.id])
