from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ServiceBillingCommon


@tagged("post_install", "-at_install")
class TestRounding(ServiceBillingCommon):
    def test_started_quarters_and_minimum_per_visit(self):
        self.company.write({"service_bill_rounding": 15, "service_bill_minimum": 60})
        short = self._work("2026-12-01 08:00:00", "2026-12-01 08:50:00")
        long = self._work("2026-12-01 09:00:00", "2026-12-01 10:10:00")
        exact = self._work("2026-12-01 10:30:00", "2026-12-01 11:45:00")
        self.assertEqual(short.billable_hours, 1.0, "50 minutes: the minimum of an hour")
        self.assertEqual(long.billable_hours, 1.25, "70 minutes: five started quarters")
        self.assertEqual(exact.billable_hours, 1.25, "75 minutes are five quarters, not six")
        self.assertAlmostEqual(short.worked_hours, 50 / 60)
        self.assertHours(self.sale_line(), 3.5, 0.0, 3.5)
        invoice = self._invoice()
        self.assertEqual(invoice.invoice_line_ids.quantity, 3.5, "no second rounding on the invoice")
        # A new setting does not reprice recorded time.
        self.company.service_bill_rounding = 60
        self.env.invalidate_all()
        self.assertEqual(long.billable_hours, 1.25)

    def test_customer_rounding_overrides_the_company(self):
        self.company.write({"service_bill_rounding": 15, "service_bill_minimum": 60})
        self.customer.write(
            {"service_bill_custom": True, "service_bill_rounding": 30, "service_bill_minimum": 0}
        )
        short = self._work("2026-12-01 08:00:00", "2026-12-01 08:10:00")
        long = self._work("2026-12-01 09:00:00", "2026-12-01 10:10:00")
        self.assertEqual(short.billable_hours, 0.5)
        self.assertEqual(long.billable_hours, 1.5)
        with self.assertRaisesRegex(ValidationError, "from 0 to 1440, not “-5”"):
            self.customer.write({"service_bill_rounding": -5})
        # Below the ORM's check, the database's.
        self.assertConstraintRefuses(
            "res.partner",
            "rounded per 0 to 1440 minutes",
            lambda: self.env.cr.execute(
                "UPDATE res_partner SET service_bill_rounding = -5 WHERE id = %s", [self.customer.id]
            ),
        )

    def test_travel_billable_or_not(self):
        self.company.service_bill_rounding = 15
        travel = self._work("2026-12-01 07:40:00", "2026-12-01 08:00:00", kind="travel")
        work = self._work("2026-12-01 08:00:00", "2026-12-01 09:00:00")
        self.assertEqual(travel.billable_hours, 0.0)
        self.assertEqual(self.service.billable_hours, 1.0)
        self.company.service_bill_travel = True
        travel_back = self._work("2026-12-01 09:00:00", "2026-12-01 09:20:00", kind="travel")
        self.assertEqual(travel_back.billable_hours, 0.5, "20 minutes of travel: two started quarters")
        invoice = self._invoice()
        self.assertEqual(invoice.invoice_line_ids.quantity, 1.5)
        self.assertEqual((work | travel_back).invoice_line_id, invoice.invoice_line_ids)
        self.assertFalse(travel.invoice_line_id)


@tagged("post_install", "-at_install")
class TestPolicies(ServiceBillingCommon):
    def test_policy_defaults_from_the_product(self):
        self.assertEqual(self.service.billing_policy, "actual")
        ordered = self._sell(self.product_ordered, 4.0).service_order_ids
        self.assertEqual(ordered.billing_policy, "ordered")
        manual = self._create_order()
        self.assertEqual(manual.billing_policy, "actual")

    def _ordered_order(self, day, hours):
        sale = self._sell(self.product_ordered, 4.0)
        service = sale.service_order_ids
        job = self._assign(f"{day} 08:00:00", f"{day} 12:00:00", order=service, state="confirmed")
        self._work(f"{day} 08:00:00", f"{day} {8 + hours:02d}:00:00", job=job)
        return sale, service

    def test_sold_hours_below_equal_above(self):
        for day, delivered in (("2026-12-03", 2), ("2026-12-04", 4)):
            with self.subTest(delivered=delivered):
                sale, service = self._ordered_order(day, delivered)
                line = self.sale_line(sale)
                self.assertHours(line, delivered, 0.0, 4.0)
                invoice = self._invoice(service)
                self.assertEqual(
                    invoice.invoice_line_ids.quantity, 4.0, "the sold hours, whatever was worked"
                )
                invoice.action_post()
                self.assertTrue(service.attendance_ids.is_invoiced)
                self.assertEqual(service.invoice_status, "invoiced")
                self.assertFalse(service.upsell_hours)

    def test_sold_hours_above_is_an_upsell_for_the_salesperson(self):
        sale, service = self._ordered_order("2026-12-03", 5)
        self.assertAlmostEqual(service.upsell_hours, 1.0)
        self.assertFalse(service.held_hours, "nothing is held under the sold hours policy")
        invoice = self._invoice(service)
        self.assertEqual(invoice.invoice_line_ids.quantity, 4.0)
        invoice.action_post()
        self.assertEqual(sale.invoice_status, "upselling")
        self.assertEqual(service.invoice_status, "upselling")
        activity = sale.activity_ids.filtered(lambda a: a.user_id == self.salesman)
        self.assertEqual(len(activity), 1)
        service.with_user(self.manager).action_upsell_extra_hours()
        self.assertEqual(self.sale_line(sale).product_uom_qty, 5.0)
        extra = self._invoice(service)
        self.assertEqual(extra.invoice_line_ids.quantity, 1.0)

    def test_actual_hours_below_and_equal(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        self.assertHours(self.sale_line(), 2.0, 0.0, 2.0)
        self.assertFalse(self.service.held_hours or self.service.upsell_hours)
        self._invoice().action_post()
        self.assertEqual(self.service.invoice_status, "no", "2 sold hours are still to work")
        self._work("2026-12-01 10:00:00", "2026-12-01 12:00:00")
        self._invoice().action_post()
        self.assertHours(self.sale_line(), 4.0, 4.0, 0.0)
        self.assertEqual(self.service.invoice_status, "invoiced")

    def test_manager_changes_the_policy_until_the_first_invoice(self):
        self.flush_tracking()
        with self.assertRaisesRegex(AccessError, "Only service managers"):
            self.service.with_user(self.dispatcher).billing_policy = "ordered"
        self.service.with_user(self.manager).billing_policy = "ordered"
        self.flush_tracking()
        tracked = self.service.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "billing_policy"
        )
        self.assertEqual(len(tracked), 1)
        self.assertHours(self.sale_line(), 0.0, 0.0, 4.0)
        self._invoice()
        with self.assertRaisesRegex(UserError, "invoiced already"):
            self.service.with_user(self.manager).billing_policy = "actual"


@tagged("post_install", "-at_install")
class TestBadInput(ServiceBillingCommon):
    def test_invoicing_a_cancelled_order_is_refused(self):
        self.service.with_user(self.dispatcher).action_cancel()
        with self.assertRaisesRegex(UserError, r"cannot be invoiced: .* is Cancelled"):
            self._invoice()
        self.company.service_invoice_product_id = False
        with self.assertRaisesRegex(UserError, "comes from no sale, and no product bills orders without"):
            self._invoice(self._create_order())

    def test_an_order_without_a_sale_is_invoiced_through_a_sale_made_for_it(self):
        walk_in = self._create_order(sold_hours=0.0, site_id=self.customer_site.id)
        job = self._assign("2026-12-02 08:00:00", "2026-12-02 12:00:00", order=walk_in, state="confirmed")
        visit = self._work("2026-12-02 08:00:00", "2026-12-02 10:30:00", job=job)
        self.company.service_invoice_product_id = self.product_actual
        invoice = self._invoice(walk_in)
        sale = walk_in.sale_order_id
        self.assertEqual(sale.state, "sale")
        self.assertEqual(sale.partner_shipping_id, self.customer_site)
        self.assertEqual(sale.service_order_ids, walk_in, "no second service order is generated")
        self.assertEqual(walk_in.billing_policy, "actual")
        self.assertEqual(invoice.invoice_line_ids.service_order_id, walk_in)
        self.assertEqual(invoice.invoice_line_ids.quantity, 2.5)
        self.assertEqual(invoice.invoice_line_ids.price_unit, 100.0)
        self.assertEqual(visit.invoice_line_id, invoice.invoice_line_ids)
        invoice.action_post()
        self.assertHours(self.sale_line(sale), 2.5, 2.5, 0.0)
        self.assertEqual(walk_in.invoice_status, "invoiced")

    def test_only_invoicing_users_invoice_and_dates_are_checked(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        with self.assertRaisesRegex(AccessError, "Only invoicing users"):
            self.service.with_user(self.dispatcher).action_create_invoice()
        with self.assertRaisesRegex(UserError, "“yesterday” is not a date"):
            self._invoice(date_until="yesterday")

    def test_approving_extra_hours_needs_a_manager(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 13:00:00")
        for user in (self.dispatcher, self.accountant, self.salesman):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "approve extra hours"):
                self.service.with_user(user).action_upsell_extra_hours()
        self.assertEqual(self.sale_line().product_uom_qty, 4.0)
        self._work("2026-12-03 08:00:00", "2026-12-03 09:00:00")
        other = self._sell(self.product_actual, 2.0).service_order_ids
        with self.assertRaisesRegex(UserError, "no extra hours"):
            other.with_user(self.manager).action_upsell_extra_hours()
        other.with_user(self.dispatcher).action_cancel()
        with self.assertRaisesRegex(UserError, "are cancelled"):
            other.with_user(self.manager).action_upsell_extra_hours()

    def test_extra_hours_sold_on_a_new_line_of_the_order(self):
        self.company.service_upsell_mode = "line"
        self._work("2026-11-30 13:00:00", "2026-11-30 16:00:00")
        extra = self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        self.service.with_user(self.manager).action_upsell_extra_hours()
        new_line = self.sale.order_line - self.sale_line()
        self.assertEqual(new_line.service_order_id, self.service)
        self.assertEqual(new_line.product_uom_qty, 1.0)
        self.assertEqual(self.service.sold_hours, 5.0)
        self.assertFalse(self.service.held_hours)
        invoice = self._invoice()
        self.assertAlmostEqual(sum(invoice.invoice_line_ids.mapped("quantity")), 5.0)
        self.assertTrue(extra.invoice_line_id)

    def test_invoiced_time_cannot_change(self):
        record = self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        invoice = self._invoice()
        change = {"check_out": "2026-12-01 11:00:00", "correction_reason": "forgot"}
        with self.assertRaisesRegex(UserError, "on the draft invoice"):
            record.with_user(self.dispatcher).write(change)
        invoice.action_post()
        with self.assertRaisesRegex(UserError, "were invoiced and can no longer change"):
            record.with_user(self.dispatcher).write(change)
        with self.assertRaisesRegex(UserError, "were invoiced"):
            record.with_user(self.dispatcher).unlink()
        with self.assertRaisesRegex(AccessError, "set by the system"):
            record.with_user(self.dispatcher).write({"billable_hours": 9.0})
        with self.assertRaisesRegex(AccessError, "set by the system"):
            record.with_user(self.dispatcher).write({"invoice_line_id": False})

    def test_cancelling_with_invoiced_hours_is_refused(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        self._invoice().action_post()
        with self.assertRaisesRegex(UserError, r"and cannot be cancelled: .*2.00 hours invoiced"):
            self.service.with_user(self.dispatcher).action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            self.sale.with_context(disable_cancel_warning=True)._action_cancel()

    def test_cancelling_with_hours_on_a_draft_invoice_is_refused(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        invoice = self._invoice()
        with self.assertRaisesRegex(UserError, "hours on a draft invoice"):
            self.service.with_user(self.dispatcher).action_cancel()
        invoice.button_cancel()
        self.service.with_user(self.dispatcher).action_cancel()
        self.assertEqual(self.service.state, "cancelled")

    def test_billing_links_and_rules_are_not_forged(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        line = self._invoice().invoice_line_ids
        other = self._create_order()
        with self.assertRaisesRegex(AccessError, "set when it is invoiced"):
            line.with_user(self.accountant).write({"service_order_id": other.id})
        stranger = self.env["res.partner"].create({"name": "Stranger Ltd", "is_company": True})
        with self.assertRaisesRegex(UserError, "service orders of another customer: .*Acme Facilities"):
            self.env["account.move"].with_user(self.accountant).create(
                {
                    "move_type": "out_invoice",
                    "partner_id": stranger.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Forged",
                                "quantity": 1,
                                "price_unit": 10,
                                "service_order_id": self.service.id,
                            }
                        )
                    ],
                }
            )
        line.move_id.with_user(self.accountant).partner_id = stranger
        with self.assertRaisesRegex(UserError, "service orders of another customer"):
            line.move_id.with_user(self.accountant).action_post()
        # Unless the sale is invoiced to that company: a head office paying for its sites.
        self.sale.partner_invoice_id = stranger
        line.move_id.with_user(self.accountant).action_post()
        self.assertEqual(line.move_id.state, "posted")
        customer = self.sale.partner_id.commercial_partner_id
        with self.assertRaisesRegex(AccessError, "Only service managers"):
            customer.with_user(self.accountant).write(
                {"service_bill_custom": True, "service_bill_minimum": 600}
            )
        contact = self.env["res.partner"].create({"name": "Site contact", "parent_id": customer.id})
        # A service manager who may edit contacts (the demo administrator).
        admin = self.env.ref("base.user_admin")
        customer.with_user(admin).write({"service_bill_custom": True, "service_bill_minimum": 60})
        self.assertEqual(contact.service_bill_minimum, 60, "contacts share their company's rules")

    def test_cancelled_invoice_releases_its_time(self):
        record = self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        invoice = self._invoice()
        invoice.action_post()
        invoice.button_draft()
        self.assertFalse(record.is_invoiced)
        self.assertEqual(record.invoice_line_id, invoice.invoice_line_ids)
        invoice.button_cancel()
        self.assertFalse(record.invoice_line_id)
        self.assertHours(self.sale_line(), 2.0, 0.0, 2.0)
        self.assertEqual(self._invoice().invoice_line_ids.quantity, 2.0)


@tagged("post_install", "-at_install")
class TestForeignCurrency(ServiceBillingCommon):
    def test_invoice_in_the_pricelist_currency(self):
        currency = (
            self.env.ref("base.EUR")
            if self.company.currency_id != self.env.ref("base.EUR")
            else self.env.ref("base.USD")
        )
        currency.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": currency.id, "name": "2026-01-01", "rate": 2.0, "company_id": self.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": currency.id})
        sale = self._sell(self.product_actual, 4.0, pricelist_id=pricelist.id)
        self.assertEqual(sale.currency_id, currency)
        self.assertEqual(self.sale_line(sale).price_unit, 200.0)
        service = sale.service_order_ids
        job = self._assign("2026-12-03 08:00:00", "2026-12-03 12:00:00", order=service, state="confirmed")
        self._work("2026-12-03 08:00:00", "2026-12-03 09:30:00", job=job)
        invoice = self._invoice(service)
        self.assertEqual(invoice.currency_id, currency)
        self.assertEqual(invoice.invoice_line_ids.quantity, 1.5)
        self.assertAlmostEqual(invoice.amount_untaxed, 300.0)
        self.assertAlmostEqual(invoice.amount_untaxed_signed, 150.0, msg="in the company's currency")
        invoice.action_post()
        self.assertEqual(service.payment_state, "not_paid")
