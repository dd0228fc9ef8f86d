from collections import defaultdict

from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    service_order_id = fields.Many2one(
        "service.order",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The service order that delivers this line's hours.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # Lines added to a confirmed sale add their hours to its service order.
        if not self.env.context.get("disable_service_order_generation"):
            lines.filtered(lambda line: line.state == "sale").sudo()._service_order_generation()
        return lines

    def _is_service_order_line(self):
        self.ensure_one()
        return bool(not self.display_type and self.product_id.generate_service_order)

    def _service_order_generation(self):
        """Link the confirmed service lines to the service order of their sale, creating the missing
        orders with a single ``create``. A sale that already has one gets its lines added to it,
        never a second order.

        A service order that was cancelled stays cancelled: lines sold meanwhile are left unlinked
        and the sale's chatter says so. They join the order when a dispatcher resets it to draft,
        or when the sale itself is cancelled and confirmed again (see ``sale.order._action_confirm``)."""
        service_lines = self.filtered(
            lambda line: line.state == "sale" and not line.service_order_id and line._is_service_order_line()
        )
        if not service_lines:
            return self.env["service.order"]
        existing = {service.sale_order_id: service for service in service_lines.order_id.service_order_ids}
        lines_by_sale = defaultdict(self.browse)
        for line in service_lines:
            lines_by_sale[line.order_id] |= line
        lines_by_service = defaultdict(self.browse)
        held_by_sale = {}
        new_sales, vals_list = [], []
        for sale, sale_lines in lines_by_sale.items():
            service = existing.get(sale)
            if service and service.state == "cancelled":
                held_by_sale[sale] = sale_lines
            elif service:
                lines_by_service[service] |= sale_lines
            else:
                new_sales.append(sale)
                vals_list.append(sale._prepare_service_order_values(sale_lines))
        created = self.env["service.order"].create(vals_list)
        for sale, service in zip(new_sales, created, strict=True):
            lines_by_service[service] |= lines_by_sale[sale]
        # Assigned in cache: the flush writes all the links in one query.
        for service, service_lines in lines_by_service.items():
            service_lines.service_order_id = service
        for sale, sale_lines in held_by_sale.items():
            sale._notify_service_lines_held(existing[sale], sale_lines)
        return created
