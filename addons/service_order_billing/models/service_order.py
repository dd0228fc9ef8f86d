from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare

INVOICE_STATUS = [
    ("no", "Nothing to Invoice"),
    ("to invoice", "To Invoice"),
    ("invoiced", "Fully Invoiced"),
    ("upselling", "Upselling Opportunity"),
]
PAYMENT_STATE = [
    ("not_paid", "Not Paid"),
    ("partial", "Partially Paid"),
    ("in_payment", "In Payment"),
    ("paid", "Paid"),
    ("reversed", "Reversed"),
]
# Below a hundredth of a second: two sums of hours that differ by less are equal.
HOURS_EPSILON = 1e-6


class ServiceOrder(models.Model):
    _inherit = "service.order"

    billing_policy = fields.Selection(
        [("ordered", "Sold Hours"), ("actual", "Actual Hours")],
        compute="_compute_billing_policy",
        store=True,
        readonly=False,
        tracking=True,
        help="Sold Hours: the sold hours are invoiced, whatever was worked; extra hours are an "
        "upselling opportunity. Actual Hours: the billable worked hours are invoiced, and hours "
        "beyond the sold ones wait for a manager's approval.",
    )
    upsell_hours = fields.Float(
        string="Extra Hours",
        compute="_compute_billing_hours",
        store=True,
        help="Billable hours worked beyond the sold hours.",
    )
    held_hours = fields.Float(
        compute="_compute_billing_hours",
        store=True,
        help="Billable hours not invoiced because they go beyond the sold hours: they wait for a "
        "manager to approve the extra hours.",
    )
    billable_hours = fields.Float(
        compute="_compute_billing_hours",
        store=True,
        help="The worked hours as they are billed: rounded and with the minimum per visit.",
    )
    invoice_status = fields.Selection(
        INVOICE_STATUS, compute="_compute_invoice_status", store=True, default="no", readonly=True
    )
    payment_state = fields.Selection(
        PAYMENT_STATE,
        compute="_compute_payment_state",
        store=True,
        readonly=True,
        help="From the posted invoices of the order and their reconciliation.",
    )
    billing_line_ids = fields.One2many(
        "account.move.line",
        "service_order_id",
        string="Invoice Lines",
        readonly=True,
        groups="account.group_account_invoice",
    )
    invoice_ids = fields.Many2many(
        "account.move",
        compute="_compute_invoice_ids",
        string="Invoices",
        groups="account.group_account_invoice",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_ids", groups="account.group_account_invoice")
    billing_policy_locked = fields.Boolean(
        compute="_compute_billing_policy_locked",
        help="The order is on an invoice (draft or posted): its billing policy can no longer change.",
    )

    @api.depends("sale_order_id", "sale_line_ids.product_id")
    def _compute_billing_policy(self):
        """From the product sold, once: later changes are the manager's."""
        for order in self.filtered(lambda o: not o.billing_policy):
            lines = order.sudo().sale_line_ids
            if lines:
                invoiced_on_order = any(line.product_id.invoice_policy == "order" for line in lines)
                order.billing_policy = "ordered" if invoiced_on_order else "actual"
            elif not order.sale_order_id:
                order.billing_policy = "actual"

    @api.depends(
        "billing_policy",
        "sold_hours",
        "attendance_ids.billable_hours",
        "attendance_ids.invoice_line_id",
        "attendance_ids.check_out",
    )
    def _compute_billing_hours(self):
        plan = self._billing_plan()
        totals = defaultdict(float)
        held = defaultdict(float)
        for attendance in (
            self.env["service.attendance"]
            .sudo()
            .search([("service_order_id", "in", self.ids), ("billable_hours", ">", 0)])
        ):
            totals[attendance.service_order_id] += attendance.billable_hours
            if plan.get(attendance, (None, False))[1]:
                held[attendance.service_order_id] += attendance.billable_hours
        for order in self:
            key = order._origin
            order.billable_hours = totals[key]
            order.upsell_hours = max(0.0, totals[key] - order.sold_hours) if order.sale_order_id else 0.0
            order.held_hours = held[key]

    @api.depends("sale_line_ids.invoice_status", "held_hours", "upsell_hours")
    def _compute_invoice_status(self):
        # Read for all the orders' lines at once: line by order, their statuses would be
        # computed order by order.
        statuses_by_order = defaultdict(set)
        for line in self.sudo().sale_line_ids:
            statuses_by_order[line.service_order_id].add(line.invoice_status)
        for order in self:
            statuses = statuses_by_order[order._origin]
            if "to invoice" in statuses:
                order.invoice_status = "to invoice"
            elif order.held_hours > HOURS_EPSILON or order.upsell_hours > HOURS_EPSILON:
                order.invoice_status = "upselling"
            elif "invoiced" in statuses:
                order.invoice_status = "invoiced"
            else:
                order.invoice_status = "no"

    @api.depends("billing_line_ids.parent_state", "billing_line_ids.move_id.payment_state")
    def _compute_payment_state(self):
        for order in self:
            invoices = order.sudo().billing_line_ids.move_id.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            )
            states = set(invoices.mapped("payment_state"))
            open_states = states - {"reversed"}
            if not states:
                order.payment_state = False
            elif not open_states:
                order.payment_state = "reversed"
            elif open_states <= {"paid"}:
                order.payment_state = "paid"
            elif open_states <= {"paid", "in_payment"}:
                order.payment_state = "in_payment"
            elif open_states & {"paid", "in_payment", "partial"}:
                order.payment_state = "partial"
            else:
                order.payment_state = "not_paid"

    @api.depends("billing_line_ids.parent_state")
    def _compute_billing_policy_locked(self):
        for order in self:
            order.billing_policy_locked = any(
                line.parent_state != "cancel" for line in order.sudo().billing_line_ids
            )

    @api.depends("billing_line_ids.move_id")
    def _compute_invoice_ids(self):
        for order in self:
            moves = order.billing_line_ids.move_id.filtered(lambda m: m.is_invoice(include_receipts=False))
            order.invoice_ids = moves
            order.invoice_count = len(moves)

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {
            "upsell_hours",
            "held_hours",
            "billable_hours",
            "invoice_status",
            "payment_state",
            "billing_line_ids",
        }

    def write(self, vals):
        if "billing_policy" in vals and not self.env.su:
            self._check_billing_policy_change()
        return super().write(vals)

    def _check_billing_policy_change(self):
        if not self.env.user.has_group("service_order.group_service_manager"):
            raise AccessError(self.env._("Only service managers can change the billing policy."))
        invoiced = self.filtered("billing_policy_locked")
        if invoiced:
            raise UserError(
                self.env._(
                    "The billing policy of %(orders)s cannot change: they were invoiced already.",
                    orders=", ".join(invoiced.mapped("name")),
                )
            )

    # ------------------------------------------------------------------ which hours go where
    def _billing_time_lines(self):
        """{order: its confirmed sale lines, delivery line last}. They are all sold in a unit
        of time: only such products generate service orders."""
        delivery = self._get_delivery_sale_lines()
        result = {}
        for order in self:
            line = delivery.get(order)
            if not line:
                continue
            others = order.sudo().sale_line_ids.filtered(
                lambda sol, line=line: sol != line and sol.state == "sale" and not sol.display_type
            )
            result[order] = others.sorted(lambda sol: (sol.sequence, sol.id)) + line
        return result

    def _billing_plan(self):
        """Where the billable time of the orders that is on no invoice goes, as
        {attendance: (sale line, held)}.

        Each record (a visit) goes whole to the first time line of its order with room for it:
        a line's room is its sold hours minus the hours already invoiced on it; a visit that
        fits only in the room of several lines together goes to the delivery line. What fits
        nowhere goes to the delivery line (``_get_delivery_sale_lines``); under the actual hours policy
        it is held until a manager approves the extra hours. Records go in the order they were
        worked, so the oldest are billed first."""
        orders = self.filtered(lambda o: o._origin.id)._origin
        if not orders:
            return {}
        hour = self.env["uom.uom"]._service_hour()
        lines_by_order = orders._billing_time_lines()
        attendances = (
            self.env["service.attendance"]
            .sudo()
            .search(
                [("service_order_id", "in", orders.ids), ("billable_hours", ">", 0)],
                order="check_in, id",
            )
        )
        room = {}
        for lines in lines_by_order.values():
            for line in lines:
                room[line] = line.product_uom_id._compute_quantity(line.product_uom_qty, hour, round=False)
        for attendance in attendances.filtered("invoice_line_id"):
            for line in attendance.invoice_line_id.sale_line_ids:
                if line in room:
                    room[line] -= attendance.billable_hours
        plan = {}
        for attendance in attendances.filtered(lambda a: not a.invoice_line_id):
            order = attendance.service_order_id
            lines = lines_by_order.get(order)
            if not lines:
                continue
            hours = attendance.billable_hours
            target = next((line for line in lines if room[line] >= hours - HOURS_EPSILON), None)
            if target:
                room[target] -= hours
                plan[attendance] = (target, False)
            elif sum(max(room[line], 0.0) for line in lines) >= hours - HOURS_EPSILON:
                # Sold on several lines together (e.g. an approved upsell line): the visit is
                # sold, on the delivery line; it takes the room of the lines in turn.
                left = hours
                for line in lines:
                    taken = min(max(room[line], 0.0), left)
                    room[line] -= taken
                    left -= taken
                plan[attendance] = (lines[-1], False)
            else:
                plan[attendance] = (lines[-1], order.billing_policy == "actual")
        return plan

    # ------------------------------------------------------------------ invoicing
    def _billing_partners(self):
        """The companies (commercial partners) the orders may be invoiced to: their customers,
        and whom their sales are invoiced to (a head office paying for its sites)."""
        return (
            self.partner_id.commercial_partner_id
            | self.sale_order_id.partner_invoice_id.commercial_partner_id
        )

    def _billing_lock(self):
        """Serialise everything that bills these orders: the no-op update makes a concurrent
        transaction that bills one of them fail to serialise (and be retried, then see the
        invoice), where a mere lock would let it bill on a snapshot that misses the invoice."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE service_order SET billing_policy = billing_policy WHERE id IN %s",
                    tuple(self.ids),
                )
            )

    def _check_invoiceable(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        # Only these two columns: reading a field loads all of the order's, HTML included.
        self.fetch(["state", "sale_order_id"])
        refused = self.filtered(
            lambda o: (
                o.state == "cancelled"
                or (not o.sale_order_id and not o.company_id.service_invoice_product_id)
            )
        )
        if refused:
            raise UserError(
                self.env._(
                    "These service orders cannot be invoiced: %(orders)s.",
                    orders=", ".join(
                        self.env._("%(order)s is %(state)s", order=o.name, state=labels[o.state])
                        if o.state == "cancelled"
                        else self.env._(
                            "%(order)s comes from no sale, and no product bills orders without a sale "
                            "in %(company)s (Service settings)",
                            order=o.name,
                            company=o.company_id.name,
                        )
                        for o in refused
                    ),
                )
            )

    def action_create_invoice(self, grouped=True, date_until=None):
        """Invoice the billable hours of the orders that are on no invoice yet, through their
        sales, so the sale lines' invoiced quantities stay right.

        :param bool grouped: one invoice per order; False: one per customer (and currency).
        :param date_until: only the time recorded until this date (included) is invoiced.
        :returns: an action showing the invoices."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only invoicing users can invoice service orders."))
        # Any truthy value would silently make one invoice per order.
        if grouped not in (True, False):
            raise ValidationError(
                self.env._("“One invoice per order” is true or false, not “%(value)s”.", value=str(grouped))
            )
        date_until = self._billing_date(date_until)
        # Ids may repeat in a call: an order twice would get two sales.
        orders = self.union()
        orders._check_invoiceable()
        orders.filtered(lambda o: not o.sale_order_id)._create_billing_sales()
        sales = orders.sudo().sale_order_id
        moves = sales.with_context(service_invoice_until=date_until and date_until.isoformat())
        moves = moves._create_invoices(grouped=bool(grouped))
        return self.env["account.move"].browse(moves.ids)._get_records_action(name=self.env._("Invoices"))

    @api.model
    def _billing_date(self, value):
        """``value`` (a date, or its text) as a date, None when empty; a ValidationError names
        anything else."""
        try:
            return fields.Date.to_date(value) or None
        except (TypeError, ValueError) as error:
            raise ValidationError(self.env._("“%(value)s” is not a date.", value=str(value))) from error

    def _create_billing_sales(self):
        """Orders taken without a quotation get their sale when they are first invoiced: one
        confirmed line of the company's product for orders without a sale, selling the hours
        worked so far (or the sold hours, when more), at the customer's prices. From then on
        they bill as any other order; later hours beyond the line wait for approval under the
        actual hours policy, as on any sale."""
        if not self:
            return
        self._billing_lock()
        hour = self.env["uom.uom"]._service_hour()
        for company in self.company_id:
            self.filtered(lambda o, company=company: o.company_id == company)._create_company_billing_sales(
                company, hour
            )

    def _create_company_billing_sales(self, company, hour):
        sales_values = []
        for order in self:
            product = company.service_invoice_product_id
            hours = max(order.sold_hours, order.billable_hours)
            sales_values.append(
                {
                    "partner_id": order.partner_id.id,
                    "partner_shipping_id": (order.site_id or order.partner_id).id,
                    "company_id": company.id,
                    "origin": order.name,
                    "order_line": [
                        fields.Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": hour._compute_quantity(hours, product.uom_id, round=False),
                                "service_order_id": order.id,
                            }
                        )
                    ],
                }
            )
        sales = (
            self.env["sale.order"]
            .sudo()
            .with_company(company)
            .with_context(disable_service_order_generation=True)
            .create(sales_values)
        )
        sales.with_context(disable_service_order_generation=True).action_confirm()
        for order, sale in zip(self.sudo(), sales, strict=True):
            order.sale_order_id = sale
            order.message_post(
                body=self.env._("Invoiced through the sale %(sale)s, made for it.", sale=sale.name)
            )

    def action_open_invoice_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.order.invoice.wizard",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_upsell_extra_hours(self):
        """Approve the extra hours: the sale sells them (its delivery line's quantity grows, or a
        new line sells them, per the company's setting), so held hours become invoiceable."""
        if not self.env.user.has_group("service_order.group_service_manager"):
            raise AccessError(self.env._("Only service managers can approve extra hours."))
        cancelled = self.filtered(lambda o: o.state == "cancelled")
        if cancelled:
            raise UserError(
                self.env._(
                    "%(orders)s are cancelled: there are no extra hours to sell.",
                    orders=", ".join(cancelled.mapped("name")),
                )
            )
        # Once per order, should its id repeat in the call.
        orders = self.union().filtered(lambda o: float_compare(o.upsell_hours, 0.0, precision_digits=2) > 0)
        if not orders:
            raise UserError(
                self.env._(
                    "%(orders)s have no extra hours to approve.", orders=", ".join(self.mapped("name"))
                )
            )
        hour = self.env["uom.uom"]._service_hour()
        # A service manager need not be a salesperson to read the sale lines.
        delivery = orders.sudo()._get_delivery_sale_lines()
        for order in orders:
            line = delivery.get(order)
            if not line:
                continue
            # Approving is the service manager's call; the sale is changed on their behalf.
            line = line.sudo()
            extra = order.upsell_hours
            qty = hour._compute_quantity(extra, line.product_uom_id, round=False)
            if line.order_id.locked:
                raise UserError(
                    self.env._("Unlock the sale %(sale)s to approve extra hours.", sale=line.order_id.name)
                )
            if order.company_id.service_upsell_mode == "line":
                self.env["sale.order.line"].sudo().create(
                    {
                        "order_id": line.order_id.id,
                        "service_order_id": order.id,
                        "product_id": line.product_id.id,
                        "product_uom_qty": qty,
                        "product_uom_id": line.product_uom_id.id,
                        "price_unit": line.price_unit,
                        "discount": line.discount,
                        "tax_ids": [fields.Command.set(line.tax_ids.ids)],
                        "sequence": line.sequence + 1,
                        "name": self.env._(
                            "%(line)s: extra hours on %(order)s", line=line.name, order=order.name
                        ),
                    }
                )
            else:
                line.product_uom_qty += qty
            order.message_post(
                body=self.env._(
                    "%(user)s approved %(hours)s extra hours, now sold on %(sale)s.",
                    user=self.env.user.name,
                    hours=f"{extra:.2f}",
                    sale=line.order_id.name,
                )
            )
        return True

    def action_view_invoices(self):
        return self.invoice_ids._get_records_action(name=self.env._("Invoices"))

    def action_send_invoices(self):
        """Odoo's send wizard for the posted invoices of the orders not sent yet."""
        invoices = self.invoice_ids.filtered(lambda m: m.state == "posted")
        if not invoices:
            raise UserError(
                self.env._("Post the invoices of %(orders)s first.", orders=", ".join(self.mapped("name")))
            )
        if len(invoices) == 1:
            return invoices.action_invoice_sent()
        return invoices.action_send_and_print()

    # ------------------------------------------------------------------ cancel
    def _set_state(self, state):
        if state == "cancelled":
            self._check_no_invoiced_hours()
        return super()._set_state(state)

    def _check_no_invoiced_hours(self):
        """Refuse cancelling orders with hours on an invoice, draft included (posting it would bill
        a cancelled order): their time records, or their sold hours invoiced before any work."""
        hour = self.env["uom.uom"]._service_hour()
        invoiced_hours = defaultdict(float)
        for line in self.sudo().sale_line_ids:
            invoiced_hours[line.service_order_id] += line.product_uom_id._compute_quantity(
                line.qty_invoiced, hour, round=False
            )
        on_invoice = {}
        for order in self:
            records = order.sudo().attendance_ids.filtered(lambda a: a.is_invoiced or a.invoice_line_id)
            hours = max(sum(records.filtered("is_invoiced").mapped("billable_hours")), invoiced_hours[order])
            if records or hours > HOURS_EPSILON:
                on_invoice[order] = hours
        if on_invoice:
            raise UserError(
                self.env._(
                    "These service orders have invoiced hours, or hours on a draft invoice, and cannot "
                    "be cancelled: %(orders)s. Issue a credit note for the hours, or delete the draft "
                    "invoice, first.",
                    orders=", ".join(
                        self.env._(
                            "%(order)s (%(hours)s hours invoiced)", order=order.name, hours=f"{hours:.2f}"
                        )
                        for order, hours in on_invoice.items()
                    ),
                )
            )
