from odoo import api, fields, models
from odoo.exceptions import UserError


class ServiceOrder(models.Model):
    _inherit = "service.order"

    product_id = fields.Many2one(
        "product.product",
        string="Service Product",
        compute="_compute_product_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        help="The service sold: the product of the sale line that bills the worked hours.",
    )
    origin_order_id = fields.Many2one(
        "service.order",
        string="Follow-up Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The done order this one follows up: it was not fixed the first time.",
    )
    follow_up_ids = fields.One2many("service.order", "origin_order_id", string="Follow-ups", readonly=True)
    follow_up_count = fields.Integer(compute="_compute_follow_up_count")
    # Figures for the KPI report, kept on the order so that its SQL reads one row per order
    # instead of aggregating invoice lines and time records again.
    service_visit_count = fields.Integer(
        string="Visits",
        compute="_compute_service_visit_count",
        store=True,
        help="Days with work recorded on site, in the technician's time zone.",
    )
    kpi_hour_price = fields.Monetary(
        string="Sold Price per Hour",
        compute="_compute_kpi_revenue_figures",
        store=True,
        currency_field="company_currency_id",
        groups="service_order.group_service_manager",
        help="The price of an hour on the sale line that bills the worked hours, without taxes, "
        "in the company's currency at the sale's rate.",
    )
    kpi_invoiced_amount = fields.Monetary(
        string="Invoiced Amount",
        compute="_compute_kpi_revenue_figures",
        store=True,
        currency_field="company_currency_id",
        groups="service_order.group_service_manager",
        help="What the posted invoices bill for this order minus its posted credit notes, without "
        "taxes, in the company's currency.",
    )
    kpi_invoiced_hours = fields.Float(
        string="Invoiced Hours",
        compute="_compute_kpi_revenue_figures",
        store=True,
        groups="service_order.group_service_manager",
        help="Billable hours of the time records on posted invoices.",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")

    @api.depends("sale_line_ids.product_id", "sale_line_ids.state")
    def _compute_product_id(self):
        delivery = self._get_delivery_sale_lines()
        for order in self:
            line = delivery.get(order)
            if line:
                order.product_id = line.product_id

    def _compute_follow_up_count(self):
        counts = dict(
            self._read_group([("origin_order_id", "in", self.ids)], ["origin_order_id"], ["__count"])
        )
        for order in self:
            order.follow_up_count = counts.get(order, 0)

    # The computes below read the orders' own lines and records (one query each for all the
    # orders, none for orders just created, whose lists are known to be empty) rather than
    # searching: creating an order costs no query for its KPI figures.
    @api.depends("attendance_ids.kpi_date", "attendance_ids.kind")
    def _compute_service_visit_count(self):
        for order in self:
            work = order.sudo().attendance_ids.filtered(lambda a: a.kind == "work")
            order.service_visit_count = len(set(work.mapped("kpi_date")))

    @api.depends(
        "sale_line_ids.price_reduce_taxexcl",
        "sale_line_ids.product_uom_id",
        "sale_line_ids.order_id.currency_rate",
        "billing_line_ids.balance",
        "billing_line_ids.parent_state",
        "attendance_ids.is_invoiced",
        "attendance_ids.billable_hours",
    )
    def _compute_kpi_revenue_figures(self):
        orders = self.sudo()
        delivery = orders._get_delivery_sale_lines()
        hour = self.env["uom.uom"]._service_hour() if delivery else None
        for order in orders:
            line = delivery.get(order)
            price = 0.0
            if line:
                rate = line.order_id.currency_rate or 1.0
                price = line.product_uom_id._compute_price(line.price_reduce_taxexcl, hour) / rate
            order.kpi_hour_price = price
            order.kpi_invoiced_amount = -sum(
                line.balance
                for line in order.billing_line_ids
                if line.parent_state == "posted" and line.display_type == "product"
            )
            order.kpi_invoiced_hours = sum(
                order.attendance_ids.filtered("is_invoiced").mapped("billable_hours")
            )

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {
            "origin_order_id",
            "service_visit_count",
            "kpi_hour_price",
            "kpi_invoiced_amount",
            "kpi_invoiced_hours",
        }

    def action_create_follow_up(self):
        """A new order for the same customer, site and service, linked to this done one: it
        tells the KPIs that the first visit did not fix the problem."""
        self.ensure_one()
        if self.state != "done":
            raise UserError(
                self.env._("Only a done order can be followed up; %(order)s is not done.", order=self.name)
            )
        follow_up = self.create(self._prepare_follow_up_values())
        # The link is a system field (nobody types it in): set by this action only.
        follow_up.sudo().origin_order_id = self
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.order",
            "res_id": follow_up.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _prepare_follow_up_values(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "site_id": self.site_id.id,
            "company_id": self.company_id.id,
            "product_id": self.product_id.id,
            "sla_policy_id": self.sla_policy_id.id,
            "user_id": self.user_id.id,
            "scope": self.scope,
        }

    def action_view_follow_ups(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Follow-ups"),
            "res_model": "service.order",
            "view_mode": "list,form",
            "domain": [("origin_order_id", "=", self.id)],
            "context": {"create": False},
        }
