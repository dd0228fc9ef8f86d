from odoo import api, fields, models


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
    sale_line_ids = fields.One2many(
        "sale.order.line", "service_order_id", string="Sale Lines", readonly=True, copy=False
    )
    opportunity_id = fields.Many2one(
        related="sale_order_id.opportunity_id", store=True, index="btree_not_null", string="Opportunity"
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
        hour = self.env.ref("uom.product_uom_hour")
        for order in self.filtered(lambda order: order.sale_line_ids or order.sale_order_id):
            order.sold_hours = sum(
                line.product_uom_id._compute_quantity(line.product_uom_qty, hour, round=False)
                for line in order.sale_line_ids
            )

    def _service_action_view(self, name, context=None):
        action = self.env["ir.actions.act_window"]._for_xml_id("service_order.service_order_action")
        action.update(name=name, domain=[("id", "in", self.ids)], context=context or {"create": False})
        if len(self) == 1:
            action.update(views=[(False, "form")], res_id=self.id)
        return action

    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "views": [(False, "form")],
            "name": self.sale_order_id.name,
        }

    def action_view_opportunity(self):
        self.ensure_one()
        return self.sale_order_id.action_view_opportunity()
