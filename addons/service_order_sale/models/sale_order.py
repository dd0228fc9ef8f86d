from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_datetime, html2plaintext


class SaleOrder(models.Model):
    _inherit = "sale.order"

    service_scope = fields.Html(
        string="Scope of Work", help="The work the customer buys; copied to the service order."
    )
    service_notes = fields.Html(
        help="Notes for the people doing the work (access, parking, contact on site); copied to the "
        "service order.",
    )
    sla_policy_id = fields.Many2one(
        "service.sla.policy",
        string="SLA Policy",
        check_company=True,
        tracking=True,
        index="btree_not_null",
        help="The response and resolution times promised to the customer.",
    )
    service_window_start = fields.Datetime(string="Preferred From", tracking=True)
    service_window_end = fields.Datetime(string="Preferred Until", tracking=True)

    # Revisions: every revision is its own quotation, chained to the one it replaces.
    revision = fields.Integer(default=0, copy=False, readonly=True, help="0 for the original quotation.")
    revision_root_id = fields.Many2one(
        "sale.order", string="Original Quotation", copy=False, readonly=True, index="btree_not_null"
    )
    previous_revision_id = fields.Many2one(
        "sale.order", string="Revision Of", copy=False, readonly=True, index="btree_not_null"
    )
    next_revision_id = fields.Many2one(
        "sale.order", string="Revised By", copy=False, readonly=True, index="btree_not_null"
    )
    revision_ids = fields.Many2many(
        "sale.order",
        compute="_compute_revision_ids",
        string="Revisions",
        help="Every revision of this quotation.",
    )
    revision_count = fields.Integer(compute="_compute_revision_ids")
    revision_changes_posted = fields.Boolean(
        copy=False,
        readonly=True,
        help="The changes since the previous revision were posted in the chatter, when the "
        "revision was first sent or confirmed.",
    )

    service_order_ids = fields.One2many(
        "service.order",
        "sale_order_id",
        string="Service Orders",
        groups="service_order.group_service_technician",
    )
    service_order_count = fields.Integer(
        compute="_compute_service_order_count", groups="service_order.group_service_technician"
    )

    _service_window_ordered = models.Constraint(
        "CHECK(service_window_start IS NULL OR service_window_end IS NULL "
        "OR service_window_end > service_window_start)",
        "The customer's preferred time window must end after it starts.",
    )

    @api.depends("revision_root_id", "next_revision_id", "previous_revision_id")
    def _compute_revision_ids(self):
        """The whole chain of revisions, from any of them, with one search for all orders."""
        root_ids = {
            root_id for order in self if isinstance(root_id := (order.revision_root_id or order).id, int)
        }
        chains = defaultdict(self.browse)
        if root_ids:
            for revision in self.search(
                ["|", ("id", "in", list(root_ids)), ("revision_root_id", "in", list(root_ids))],
                order="revision, id",
            ):
                chains[(revision.revision_root_id or revision).id] |= revision
        for order in self:
            chain = chains[(order.revision_root_id or order).id]
            order.revision_ids = chain if len(chain) > 1 else False
            order.revision_count = len(chain) if len(chain) > 1 else 0

    @api.depends("service_order_ids")
    def _compute_service_order_count(self):
        for order in self:
            order.service_order_count = len(order.service_order_ids)

    # ------------------------------------------------------------------ revisions
    def action_revise(self):
        """Replace each quotation by a new revision: a copy with ``revision`` + 1, linked to it.
        The quotation itself is cancelled and keeps pointing to its successor."""
        refused = self.filtered(lambda order: order.state not in ("draft", "sent") or order.next_revision_id)
        if refused:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Only quotations that were not accepted can be revised, and only once: %(orders)s.",
                    orders=", ".join(
                        self.env._(
                            "%(order)s is %(state)s",
                            order=order.name,
                            state=self.env._("revised by %(next)s", next=order.next_revision_id.name)
                            if order.next_revision_id
                            else labels[order.state],
                        )
                        for order in refused
                    ),
                )
            )
        revisions = self.env["sale.order"]
        for order in self:
            root = order.revision_root_id or order
            revision = order.revision + 1
            new_order = order.copy(
                {
                    "name": f"{root.name}-R{revision}",
                    "revision": revision,
                    "revision_root_id": root.id,
                    "previous_revision_id": order.id,
                    "origin": order.origin,
                }
            )
            order.next_revision_id = new_order
            revisions |= new_order
        self._action_cancel()
        for order in self:
            new_order = order.next_revision_id
            order.message_post(
                body=self.env._(
                    "Revised by %(revision)s (revision %(number)s) on %(date)s by %(user)s.",
                    revision=new_order._get_html_link(),
                    number=new_order.revision,
                    date=format_datetime(self.env, new_order.create_date),
                    user=self.env.user.name,
                )
            )
            new_order.message_post(
                body=self.env._(
                    "Revision %(number)s of %(previous)s, created by %(user)s.",
                    number=new_order.revision,
                    previous=order._get_html_link(),
                    user=self.env.user.name,
                )
            )
        if len(revisions) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.order",
                "res_id": revisions.id,
                "views": [(False, "form")],
                "target": "current",
            }
        return True

    def _service_revision_changes(self):
        """What changed since the previous revision, as a list of sentences."""
        self.ensure_one()
        previous = self.previous_revision_id
        if not previous:
            return []
        changes = []

        old_lines = {line.product_id: line for line in previous.order_line if not line.display_type}
        new_lines = {line.product_id: line for line in self.order_line if not line.display_type}
        for key, line in new_lines.items():
            old = old_lines.get(key)
            if not old:
                changes.append(
                    self.env._(
                        "Added %(product)s: %(qty)s %(uom)s",
                        product=line.product_id.display_name,
                        qty=line.product_uom_qty,
                        uom=line.product_uom_id.name,
                    )
                )
                continue
            if (
                float_compare(old.product_uom_qty, line.product_uom_qty, precision_digits=4)
                or old.product_uom_id != line.product_uom_id
            ):
                changes.append(
                    self.env._(
                        "%(product)s: %(old_qty)s %(old_uom)s → %(qty)s %(uom)s",
                        product=line.product_id.display_name,
                        old_qty=old.product_uom_qty,
                        old_uom=old.product_uom_id.name,
                        qty=line.product_uom_qty,
                        uom=line.product_uom_id.name,
                    )
                )
            if line.currency_id.compare_amounts(old.price_unit, line.price_unit):
                changes.append(
                    self.env._(
                        "%(product)s: unit price %(old)s → %(new)s",
                        product=line.product_id.display_name,
                        old=old.price_unit,
                        new=line.price_unit,
                    )
                )
        for key, line in old_lines.items():
            if key not in new_lines:
                changes.append(self.env._("Removed %(product)s", product=line.product_id.display_name))
        if html2plaintext(previous.service_scope or "") != html2plaintext(self.service_scope or ""):
            changes.append(self.env._("The scope of work changed."))
        if html2plaintext(previous.service_notes or "") != html2plaintext(self.service_notes or ""):
            changes.append(self.env._("The service notes changed."))
        if previous.sla_policy_id != self.sla_policy_id:
            changes.append(
                self.env._(
                    "SLA policy: %(old)s → %(new)s",
                    old=previous.sla_policy_id.display_name or self.env._("none"),
                    new=self.sla_policy_id.display_name or self.env._("none"),
                )
            )
        if (previous.service_window_start, previous.service_window_end) != (
            self.service_window_start,
            self.service_window_end,
        ):
            changes.append(self.env._("The preferred time window changed."))
        if self.currency_id.compare_amounts(previous.amount_total, self.amount_total):
            changes.append(
                self.env._(
                    "Total: %(old)s → %(new)s %(currency)s",
                    old=previous.amount_total,
                    new=self.amount_total,
                    currency=self.currency_id.name,
                )
            )
        return changes

    def _post_revision_changes(self):
        """Post what changed since the previous revision, once per revision: when it is first sent
        or, if it never was, confirmed."""
        orders = self.filtered(lambda order: order.previous_revision_id and not order.revision_changes_posted)
        orders.revision_changes_posted = True
        for order in orders:
            changes = order._service_revision_changes()
            title = self.env._(
                "Changes since revision %(number)s (%(previous)s):",
                number=order.previous_revision_id.revision,
                previous=order.previous_revision_id.name,
            )
            if changes:
                body = Markup("<p>%s</p><ul>%s</ul>") % (
                    title,
                    Markup().join(Markup("<li>%s</li>") % change for change in changes),
                )
            else:
                body = Markup("<p>%s %s</p>") % (title, self.env._("none."))
            order.message_post(body=body)

    def action_quotation_sent(self):
        self._post_revision_changes()
        return super().action_quotation_sent()

    def action_view_revisions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations_with_onboarding")
        action.update(
            name=self.env._("Revisions of %(order)s", order=(self.revision_root_id or self).name),
            domain=[("id", "in", self.revision_ids.ids)],
            context={"create": False},
        )
        return action

    # ------------------------------------------------------------------ service orders
    def _action_confirm(self):
        """Generate the service orders of the confirmed quotations, in one batch per company.
        Salespeople need no rights on service orders for that.

        A sale confirmed again after its cancellation gets its cancelled service order back, in
        draft, with the lines sold since. ``disable_service_order_generation`` in the context
        confirms without touching service orders, as ``disable_project_task_generation`` does
        for tasks."""
        self._post_revision_changes()
        result = super()._action_confirm()
        if self.env.context.get("disable_service_order_generation"):
            return result
        reopened = self.sudo().service_order_ids.filtered(lambda so: so.state == "cancelled")
        if reopened:
            reopened._set_state("draft")
        for company in self.company_id:
            orders = self.filtered(lambda order, company=company: order.company_id == company)
            orders.order_line.sudo().with_company(company)._service_order_generation()
        return result

    def _notify_service_lines_held(self, service_order, lines):
        """Tell the salesperson, and the dispatchers on the service order, that ``lines`` were sold
        on this confirmed sale after its service order was cancelled: they wait, unlinked, until
        the service order is reset to draft."""
        self.ensure_one()
        items = Markup().join(
            Markup("<li>%s: %s %s</li>")
            % (line.product_id.display_name, line.product_uom_qty, line.product_uom_id.name)
            for line in lines
        )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "The service order %(service)s was cancelled: these lines were not added to it. "
                    "Ask a dispatcher to reset it to draft, or create a new sale.",
                    service=service_order.name,
                ),
                items,
            ),
            partner_ids=self.user_id.partner_id.ids,
        )
        service_order.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "Lines sold on %(sale)s after this order was cancelled; they are added to it if it "
                    "is reset to draft:",
                    sale=self.name,
                ),
                items,
            )
        )

    def _service_check_cancel(self):
        """Refuse to cancel sales whose service orders were worked on (hours recorded, or done):
        the hours must be settled with the customer first. The billing modules extend this with
        their own conditions (e.g. invoiced hours)."""
        service_orders = self.sudo().service_order_ids.filtered(lambda so: so.state != "cancelled")
        worked = service_orders.filtered(lambda so: so.worked_hours or so.state == "done")
        if worked:
            raise UserError(
                self.env._(
                    "These sales cannot be cancelled because work was already done on their service "
                    "orders: %(orders)s. Settle the hours with the customer first.",
                    orders="; ".join(
                        self.env._(
                            "%(sale)s: %(service)s, %(hours)s hours worked (responsible: %(user)s)",
                            sale=so.sale_order_id.name,
                            service=so.name,
                            hours=f"{so.worked_hours:g}",
                            user=so.user_id.name or self.env._("nobody"),
                        )
                        for so in worked
                    ),
                )
            )

    def _action_cancel(self):
        """Cancel the service orders with the sale, once ``_service_check_cancel`` allows it."""
        self._service_check_cancel()
        service_orders = self.sudo().service_order_ids.filtered(lambda so: so.state != "cancelled")
        result = super()._action_cancel()
        if service_orders:
            service_orders._set_state("cancelled")
            for so in service_orders:
                so.message_post(
                    body=self.env._(
                        "Cancelled with the sale %(sale)s by %(user)s.",
                        sale=so.sale_order_id._get_html_link(),
                        user=self.env.user.name,
                    )
                )
        return result

    def _prepare_service_order_values(self, lines):
        """Values of the service order of this sale, for its service ``lines`` (linked to it once
        it is created)."""
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "site_id": self.partner_shipping_id.id,
            "company_id": self.company_id.id,
            "user_id": False,
            "sale_order_id": self.id,
            "scope": self.service_scope,
            "notes": self.service_notes,
            "sla_policy_id": self.sla_policy_id.id,
            "window_start": self.service_window_start,
            "window_end": self.service_window_end,
        }

    def action_view_service_orders(self):
        self.ensure_one()
        # Service orders of a sale come from its confirmation only: no create from here.
        return self.service_order_ids._service_action_view(
            self.env._("Service Orders of %(sale)s", sale=self.name)
        )
