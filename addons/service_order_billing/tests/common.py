from odoo.addons.service_order_timeclock.tests.common import TimeClockCommon
from odoo.fields import Command
from odoo.tests import new_test_user


class ServiceBillingCommon(TimeClockCommon):
    """On top of the time clock fixtures, in a company with Odoo's generic chart of accounts: a
    service sold per hour at 100 (actual hours), the same invoiced on order (sold hours), an
    accountant, a salesperson, and a confirmed sale of 4 hours whose service order Ada works on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.company, install_demo=False
            )
        cls.uom_hour = cls.env.ref("uom.product_uom_hour")
        cls.uom_day = cls.env.ref("uom.product_uom_day")
        cls.product_actual = cls._service_product("Repair hour (actual)", "delivery")
        cls.product_ordered = cls._service_product("Repair hour (sold)", "order")
        cls.accountant = new_test_user(
            cls.env,
            "svc_test_accountant",
            "account.group_account_invoice,service_order.group_service_dispatcher",
            company_id=cls.company.id,
        )
        cls.salesman = new_test_user(
            cls.env, "svc_test_billing_salesman", "sales_team.group_sale_salesman", company_id=cls.company.id
        )
        cls.company.write(
            {"service_bill_rounding": 0, "service_bill_minimum": 0, "service_bill_travel": False}
        )
        cls.sale = cls._sell(cls.product_actual, 4.0)
        cls.service = cls.sale.service_order_ids
        cls.job = cls._assign(
            "2026-12-01 08:00:00", "2026-12-01 12:00:00", order=cls.service, state="confirmed"
        )

    @classmethod
    def _service_product(cls, name, invoice_policy, uom=None, price=100.0):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "uom_id": (uom or cls.uom_hour).id,
                "list_price": price,
                "invoice_policy": invoice_policy,
                "generate_service_order": True,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _sell(cls, product, qty, **values):
        sale = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "partner_shipping_id": cls.customer_site.id,
                "user_id": cls.salesman.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
                **values,
            }
        )
        sale.action_confirm()
        return sale

    def _work(self, check_in, check_out, job=None, kind="work", employee=None):
        return self.Attendance.create(
            {
                "employee_id": (employee or self.tech_employee).id,
                "assignment_id": (job or self.job).id,
                "kind": kind,
                "check_in": check_in,
                "check_out": check_out,
            }
        )

    def _invoice(self, orders=None, **kwargs):
        orders = (orders or self.service).with_user(self.accountant)
        action = orders.action_create_invoice(**kwargs)
        self.env.invalidate_all()
        domain = action.get("domain")
        if domain:
            return self.env["account.move"].search(domain)
        return self.env["account.move"].browse(action["res_id"])

    def _refund(self, invoice, quantities=None, post=True):
        """A credit note of ``invoice``, posted unless ``post`` is False; ``quantities`` per
        invoice line index changes the quantities given back (a partial credit note)."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "test", "journal_id": invoice.journal_id.id})
        )
        refund = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        if quantities:
            self._set_quantities(refund, quantities)
        if post:
            refund.action_post()
        self.env.invalidate_all()
        return refund

    @staticmethod
    def _set_quantities(move, quantities):
        lines = move.invoice_line_ids.filtered("service_order_id")
        move.write(
            {
                "invoice_line_ids": [
                    Command.update(lines[i].id, {"quantity": q}) for i, q in quantities.items()
                ]
            }
        )

    def sale_line(self, sale=None):
        return (sale or self.sale).order_line.filtered("service_order_id")[:1]

    def assertHours(self, line, delivered, invoiced, to_invoice):
        self.env.invalidate_all()
        self.assertAlmostEqual(line.qty_delivered, delivered, places=4, msg="delivered")
        self.assertAlmostEqual(line.qty_invoiced, invoiced, places=4, msg="invoiced")
        self.assertAlmostEqual(line.qty_to_invoice, to_invoice, places=4, msg="to invoice")
