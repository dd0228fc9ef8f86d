from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError


class ServiceOrder(models.Model):
    _inherit = "service.order"

    sale_order_id = fields.Many2one(
        "sale.order",
        copy=False,
        readonly=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        ondelete="set null",
        help="The confirmed sale this order delivers.",
    )
    # Technicians have no access to sale lines: without the group, reading an order with no field
    # list (the mobile app, integrations) would fail on this field.
    sale_line_ids = fields.One2many(
        "sale.order.line",
        "service_order_id",
        string="Sale Lines",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
    )
    has_sale_order = fields.Boolean(compute="_compute_has_sale_order")
    window_start = fields.Datetime(
        string="Preferred From", help="When the customer would like the work done."
    )
    window_end = fields.Datetime(string="Preferred Until")
    # Sold hours follow the sale lines of orders that come from a sale; manual orders keep theirs.
    sold_hours = fields.Float(compute="_compute_sold_hours", store=True, readonly=False)

    _sale_order_unique = models.UniqueIndex(
        "(sale_order_id) WHERE sale_order_id IS NOT NULL",
        "A sale order has only one service order.",
    )

    @api.depends("sale_order_id")
    def _compute_has_sale_order(self):
        for order in self:
            order.has_sale_order = bool(order.sale_order_id)

    @api.depends("sale_line_ids.product_uom_qty", "sale_line_ids.product_uom_id")
    def _compute_sold_hours(self):
        hour = self.env["uom.uom"]._service_hour()
        for order in self.filtered(lambda order: order.sale_line_ids or order.sale_order_id):
            order.sold_hours = sum(
                line.product_uom_id._compute_quantity(line.product_uom_qty, hour, round=False)
                for line in order.sale_line_ids
            )

    def write(self, vals):
        if "sold_hours" in vals and not self.env.su:
            from_sale = self.filtered("sale_order_id")
            if from_sale:
                raise UserError(
                    self.env._(
                        "The sold hours of %(orders)s come from their sale: change the quantities "
                        "on the sale instead.",
                        orders=", ".join(from_sale.mapped("name")),
                    )
                )
        return super().write(vals)

    def _get_protected_fields(self):
        # The link to the sale is made by the confirmation only: written over RPC, it would let
        # anyone attach an order to an unrelated sale and its invoicing.
        return super()._get_protected_fields() | {"sale_order_id", "sale_line_ids"}

    def _check_company_move(self, company):
        """An order that delivers a sale stays in the sale's company."""
        from_sale = self.filtered("sale_order_id")
        if from_sale:
            raise UserError(
                self.env._(
                    "These service orders deliver a sale and stay in its company: %(orders)s.",
                    orders=", ".join(
                        f"{order.name} ({order.sudo().sale_order_id.name}, {order.company_id.name})"
                        for order in from_sale
                    ),
                )
            )
        return super()._check_company_move(company)

    def _set_state(self, state):
        """Back in draft, an order takes the lines its sale sold while it was cancelled."""
        result = super()._set_state(state)
        if state == "draft":
            sales = self.sudo().sale_order_id.filtered(lambda sale: sale.state == "sale")
            sales.order_line._service_order_generation()
        return result

    # ------------------------------------------------------------------ billing hooks
    def _get_delivery_sale_lines(self):
        """The sale line that receives the delivered (worked) hours of each order, as a dict
        {order: sale line}; orders without a sale line are left out. See
        ``_select_delivery_sale_line`` for the rule."""
        lines_by_order = defaultdict(lambda: self.env["sale.order.line"])
        for line in self.sudo().sale_line_ids:
            lines_by_order[line.service_order_id] |= line
        result = {}
        for order in self:
            line = order._select_delivery_sale_line(lines_by_order[order])
            if line:
                result[order] = line
        return result

    def _select_delivery_sale_line(self, lines):
        """Among ``lines``, the sale lines of this order, the one its worked hours are delivered on.

        Default rule: the last line of the quotation (by sequence, then creation) sold in hours,
        since worked hours then need no conversion and extra hours go with the latest sold work;
        when no line is in hours, the last line in another unit of time (days). Override to route
        the hours differently, e.g. by product."""
        self.ensure_one()
        hour = self.env["uom.uom"]._service_hour()
        confirmed = lines.filtered(lambda line: line.state == "sale" and not line.display_type)
        in_hours = confirmed.filtered(lambda line: line.product_uom_id == hour)
        candidates = (in_hours or confirmed).sorted(lambda line: (line.sequence, line.id))
        return candidates[-1:]

    def _service_action_view(self, name, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id("service_order.service_order_action")
        action.update(name=name, domain=[("id", "in", self.ids)], context=context or {"create": False})
        if len(self) == 1:
            action.update(views=[(False, "form")], res_id=self.id)
        return action

    def _service_planning_order(self):
        """Among orders due at the same time, the customer who asked for the earliest window
        first; orders without a window after them."""
        return "resolution_deadline asc, window_start asc, priority desc, id asc"

    def _service_planning_windows(self):
        windows = super()._service_planning_windows()
        for order in self:
            if order.window_start and order.window_end:
                windows[order.id] = (order.window_start, order.window_end)
        return windows

    @api.model
    def _service_product_depends(self):
        return [*super()._service_product_depends(), "sale_line_ids.product_id"]

    def _get_service_products(self):
        # Under sudo: technicians have no access to sale lines, and the products' settings
        # apply to whoever reads the order.
        return super()._get_service_products() | self.sudo().sale_line_ids.product_id.with_env(self.env)

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "views": [(False, "form")],
            "name": self.sale_order_id.name,
        }
