import base64
import re

from odoo.addons.service_order_billing.hooks import post_init_hook
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import ServiceBillingCommon


@tagged("post_install", "-at_install")
class TestBillingInput(ServiceBillingCommon):
    """What callers send over RPC: arguments, settings and links they may forge."""

    def test_invoicing_arguments_are_checked(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        for grouped in ("abc", "false", [1], {"x": 1}, 1.5, None):
            with self.subTest(grouped=grouped), self.assertRaisesRegex(ValidationError, "true or false"):
                self._invoice(grouped=grouped)
        with self.assertRaisesRegex(UserError, r"“\{'a': 1\}” is not a date"):
            self._invoice(date_until={"a": 1})
        # Odoo's own refusal: the only hour was worked after that date.
        with self.assertRaisesRegex(UserError, "Nothing to invoice for"):
            self._invoice(date_until="0001-01-01")
        self.assertFalse(self.service.invoice_ids)
        invoice = self._invoice(grouped=False, date_until="2026-12-01 05:00:00")
        self.assertEqual(invoice.invoice_line_ids.quantity, 2.0, "a date and time is that day")
        with self.assertRaisesRegex(UserError, "Nothing to invoice for"):
            self._invoice(date_until="9999-12-31")

    def test_an_order_given_twice_is_billed_and_upsold_once(self):
        """Ids repeat in an RPC call: an order without a sale got two sales, and an approval in
        "new line" mode added a second, empty, upsell line."""
        walk_in = self._create_order(sold_hours=1.0)
        self.company.service_invoice_product_id = self.product_actual
        job = self._assign("2026-12-02 08:00:00", "2026-12-02 12:00:00", order=walk_in, state="confirmed")
        self._work("2026-12-02 08:00:00", "2026-12-02 10:00:00", job=job)
        invoice = self._invoice(walk_in.browse([walk_in.id, walk_in.id]))
        self.assertEqual(invoice.invoice_line_ids.quantity, 2.0)
        self.assertEqual(len(self.env["sale.order"].search([("origin", "=", walk_in.name)])), 1)
        self.company.service_upsell_mode = "line"
        self._work("2026-12-01 08:00:00", "2026-12-01 13:00:00")
        twice = self.service.browse([self.service.id, self.service.id])
        twice.with_user(self.manager).action_upsell_extra_hours()
        self.assertEqual(self.sale.order_line.mapped("product_uom_qty"), [4.0, 1.0])
        self.assertEqual(len(self.service.message_ids.filtered(lambda m: "approved" in (m.body or ""))), 1)

    def test_a_forged_period_in_the_context_is_refused_by_name(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        with self.assertRaisesRegex(UserError, "“someday” is not a date"):
            self.sale.with_user(self.accountant).with_context(
                service_invoice_until="someday"
            )._create_invoices()

    def test_billing_minutes_must_be_whole_minutes_in_range(self):
        customer = self.customer.with_user(self.env.ref("base.user_admin"))
        targets = {
            "company": self.company.write,
            "settings": lambda vals: self.env["res.config.settings"].create(vals).execute(),
            "customer": lambda vals: customer.write({"service_bill_custom": True, **vals}),
        }
        for target, write in targets.items():
            for name in ("service_bill_rounding", "service_bill_minimum"):
                for value in (-5, 1441, 1e9, 10**10, 1.5, "abc", "1e3", [15], True):
                    with (
                        self.subTest(target=target, field=name, value=value),
                        self.assertRaisesRegex(ValidationError, re.escape(f"not “{value}”")),
                    ):
                        write({name: value})
        self.company.write({"service_bill_rounding": 1440, "service_bill_minimum": 0})
        customer.write(
            {"service_bill_custom": True, "service_bill_rounding": 15.0, "service_bill_minimum": 30}
        )
        self.assertEqual((self.customer.service_bill_rounding, self.customer.service_bill_minimum), (15, 30))
        record = self._work("2026-12-01 08:00:00", "2026-12-01 08:10:00")
        self.assertEqual(record.billable_hours, 0.5)

    def test_orders_without_a_sale_are_billed_as_a_service_sold_in_time(self):
        """The setting's domain is the form's only: over RPC any product could be set, and the
        hours of orders without a sale were then sold as units or goods."""
        products = self.env["product.product"]
        goods = products.create({"name": "Cable", "type": "consu"})
        units = products.create(
            {"name": "Call-out", "type": "service", "uom_id": self.env.ref("uom.product_uom_unit").id}
        )
        other_company = self.env["res.company"].create({"name": "Other Services Ltd"})
        foreign = products.create(
            {
                "name": "Foreign hour",
                "type": "service",
                "uom_id": self.uom_hour.id,
                "company_id": other_company.id,
            }
        )
        for product, reason in (
            (goods, "Cable cannot invoice .* it is a Goods sold in Units"),
            (units, "Call-out cannot invoice .* it is a Service sold in Units"),
            (foreign, "Foreign hour belongs to Other Services Ltd"),
        ):
            with self.subTest(product=product.name), self.assertRaisesRegex(ValidationError, reason):
                self.company.service_invoice_product_id = product
        day = self._service_product("Service day", "delivery", uom=self.uom_day)
        self.company.service_invoice_product_id = day
        self.assertEqual(self.company.service_invoice_product_id, day)

    def test_an_invoice_line_cannot_be_linked_to_an_order_by_hand(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        with self.assertRaisesRegex(AccessError, "set when it is invoiced"), self.env.cr.savepoint():
            self.env["account.move"].with_user(self.accountant).create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Forged",
                                "quantity": 1,
                                "price_unit": 1,
                                "service_order_id": self.service.id,
                            }
                        )
                    ],
                }
            )
        invoice = self._invoice()
        invoice.action_post()
        duplicate = invoice.with_user(self.accountant).copy()
        self.assertFalse(duplicate.invoice_line_ids.service_order_id, "a copy bills no service hours")
        refund = self._refund(invoice)
        self.assertEqual(refund.invoice_line_ids.service_order_id, self.service, "a credit note keeps it")
        self.assertEqual(self.service.invoice_ids, invoice | refund)


@tagged("post_install", "-at_install")
class TestModifiedInvoice(ServiceBillingCommon):
    """Odoo's "reverse and create a new draft" gives the hours back and bills them again on a
    copy of the invoice, made without the time records; a cancelled invoice set back to draft
    has lost its records too."""

    def _modify(self, invoice):
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "wrong rate", "journal_id": invoice.journal_id.id})
        )
        return self.env["account.move"].browse(wizard.modify_moves()["res_id"])

    def test_the_new_invoice_bills_the_hours_once(self):
        record = self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        invoice = self._invoice()
        invoice.action_post()
        copy = self._modify(invoice)
        copy.action_post()
        self.assertEqual(record.invoice_line_id, copy.invoice_line_ids)
        self.assertTrue(record.is_invoiced)
        self.assertHours(self.sale_line(), 2.0, 2.0, 0.0)
        with self.assertRaisesRegex(UserError, "Nothing to invoice for"):
            self._invoice()

    def test_the_new_invoice_is_refused_once_the_hours_were_billed_again(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        invoice = self._invoice()
        invoice.action_post()
        copy = self._modify(invoice)
        self._invoice().action_post()
        with self.assertRaisesRegex(
            UserError, "bills 2.00 hours of .* that are not its visits left to invoice"
        ):
            copy.action_post()
        copy.button_cancel()
        self.assertHours(self.sale_line(), 2.0, 2.0, 0.0)

    def test_a_cancelled_invoice_reset_to_draft_does_not_bill_the_hours_again(self):
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        cancelled = self._invoice()
        cancelled.button_cancel()
        self._invoice().action_post()
        cancelled.button_draft()
        with self.assertRaisesRegex(UserError, r"not its visits left to invoice \(none\)"):
            cancelled.action_post()


@tagged("post_install", "-at_install")
class TestBillingRoles(ServiceBillingCommon):
    def test_a_service_manager_approves_extra_hours_without_sales_rights(self):
        self.assertFalse(self.manager.has_group("sales_team.group_sale_salesman"))
        self._work("2026-12-01 08:00:00", "2026-12-01 13:00:00")
        self.service.with_user(self.manager).action_upsell_extra_hours()
        self.assertEqual(self.sale_line().product_uom_qty, 5.0)
        self.assertFalse(self.service.upsell_hours)

    def test_an_accountant_without_the_service_app_invoices_and_sends(self):
        accountant = new_test_user(
            self.env, "svc_test_invoicing_only", "account.group_account_invoice", company_id=self.company.id
        )
        self.customer.email = "accounts@acme.example.com"
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        report = self.env["ir.attachment"].create(
            {
                "name": f"Service Report - {self.service.name}.pdf",
                "res_model": "service.order",
                "res_id": self.service.id,
                "datas": base64.b64encode(b"%PDF-1.4 report"),
                "mimetype": "application/pdf",
            }
        )
        action = self.service.with_user(accountant).action_create_invoice()
        invoice = self.env["account.move"].browse(action["res_id"])
        invoice.with_user(accountant).action_post()
        wizard = (
            self.env["account.move.send.wizard"]
            .with_user(accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertIn(report.id, [a["id"] for a in wizard.mail_attachments_widget])
        wizard.action_send_and_print()
        self.assertIn(report.name, invoice.message_ids.attachment_ids.mapped("name"))

    def test_moving_a_job_with_invoiced_time_to_another_order_is_refused(self):
        record = self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        other = self._sell(self.product_actual, 4.0).service_order_ids
        invoice = self._invoice()
        for state in ("draft", "posted"):
            if state == "posted":
                invoice.action_post()
            with (
                self.subTest(invoice=state),
                self.assertRaisesRegex(UserError, "can no longer change: Ada"),
            ):
                self.job.with_user(self.dispatcher).service_order_id = other
        self.assertEqual(record.service_order_id, self.service)
        self.assertEqual(self.service.billable_hours, 2.0)
        free_job = self._assign("2026-12-02 08:00:00", "2026-12-02 12:00:00", order=self.service)
        free_job.with_user(self.dispatcher).service_order_id = other
        self.assertEqual(free_job.service_order_id, other)


@tagged("post_install", "-at_install")
class TestSoldHoursPolicy(ServiceBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sold = cls._sell(cls.product_ordered, 4.0)
        cls.sold_service = cls.sold.service_order_ids
        cls.sold_job = cls._assign(
            "2026-12-02 08:00:00", "2026-12-02 16:00:00", order=cls.sold_service, state="confirmed"
        )

    def test_an_order_billed_on_sold_hours_cannot_be_cancelled(self):
        invoice = self._invoice(self.sold_service)
        self.assertEqual(invoice.invoice_line_ids.quantity, 4.0, "billed before any work")
        for state in ("draft", "posted"):
            if state == "posted":
                invoice.action_post()
            with (
                self.subTest(invoice=state),
                self.assertRaisesRegex(UserError, r"cannot be cancelled: .*4.00 hours invoiced"),
            ):
                self.sold_service.with_user(self.dispatcher).action_cancel()
        self._refund(invoice)
        self.sold_service.with_user(self.dispatcher).action_cancel()
        self.assertEqual(self.sold_service.state, "cancelled")

    def test_time_after_the_invoice_of_the_sold_hours_is_not_billed_again(self):
        """The sold hours were invoiced before the work: the time recorded afterwards, up to
        the sold hours, is what that invoice billed; only approved extra hours are billed next."""
        self._invoice(self.sold_service).action_post()
        self._work("2026-12-02 08:00:00", "2026-12-02 11:00:00", job=self.sold_job)
        with self.assertRaisesRegex(UserError, "Nothing to invoice for"):
            self._invoice(self.sold_service)
        self.assertEqual(self.sold_service.invoice_status, "invoiced")
        self._work("2026-12-02 12:00:00", "2026-12-02 14:00:00", job=self.sold_job)
        self.assertEqual(self.sold_service.upsell_hours, 1.0)
        self.assertEqual(self.sold_service.invoice_status, "upselling")
        self.sold_service.with_user(self.manager).action_upsell_extra_hours()
        extra = self._invoice(self.sold_service)
        self.assertEqual(extra.invoice_line_ids.quantity, 1.0, "only the approved extra hour")
        extra.action_post()
        line = self.sale_line(self.sold)
        self.assertHours(line, 5.0, 5.0, 0.0)
        with self.assertRaisesRegex(UserError, "Nothing to invoice for"):
            self._invoice(self.sold_service)


@tagged("post_install", "-at_install")
class TestInstallOnExistingSales(ServiceBillingCommon):
    def test_sales_confirmed_before_the_module_bill_their_hours(self):
        """Sales whose orders were generated before billing was installed deliver the hours
        of their orders like the new ones (their stored method predates the module)."""
        self._work("2026-12-01 08:00:00", "2026-12-01 10:00:00")
        line = self.sale_line()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order_line SET qty_delivered_method = 'manual', qty_delivered = 0 WHERE id = %s",
            [line.id],
        )
        self.env.invalidate_all()
        post_init_hook(self.env)
        self.assertEqual(line.qty_delivered_method, "service_order")
        self.assertHours(line, 2.0, 0.0, 2.0)
