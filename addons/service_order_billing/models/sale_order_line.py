from collections import defaultdict

from odoo import api, fields, models

from .service_order import HOURS_EPSILON


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    qty_delivered_method = fields.Selection(selection_add=[("service_order", "Service Orders")])

    @api.depends("service_order_id")
    def _compute_qty_delivered_method(self):
        result = super()._compute_qty_delivered_method()
        for line in self:
            if line.service_order_id and not line.is_expense:
                line.qty_delivered_method = "service_order"
        return result

    @api.depends(
        "service_order_id.attendance_ids.billable_hours",
        "service_order_id.attendance_ids.invoice_line_id",
    )
    def _compute_qty_delivered(self):
        return super()._compute_qty_delivered()

    def _prepare_qty_delivered(self):
        """The billable hours of the service order, on the line that bills them: invoiced hours
        on the line of their invoice, the others where ``_billing_plan`` puts them."""
        delivered = super()._prepare_qty_delivered()
        lines = self.filtered(lambda sol: sol.qty_delivered_method == "service_order")
        if not lines:
            return delivered
        hours = lines._service_hours_by_line()
        hour = self.env["uom.uom"]._service_hour()
        for line in lines:
            delivered[line] = hour._compute_quantity(
                hours["invoiced"][line._origin]
                + hours["pending"][line._origin]
                + hours["held"][line._origin],
                line.product_uom_id,
                round=False,
            )
        return delivered

    def _prepare_qty_invoiced(self):
        """Every service line gets a value, 0 included: sale keeps the former quantity of a line
        missing from the result, so a cancelled invoice would stay counted."""
        invoiced = super()._prepare_qty_invoiced()
        for line in self.filtered(lambda sol: sol.qty_delivered_method == "service_order"):
            invoiced[line] += 0.0
        return invoiced

    def _service_hours_by_line(self, date_until=None):
        """Billable hours of the lines' service orders, per line, as a dict of dicts
        {"invoiced"|"pending"|"held": {line: hours}}, and under "records" the records pending
        on each line: {line: attendances}. ``date_until`` leaves out of pending the time recorded
        after that date."""
        orders = self._origin.service_order_id
        result = {
            "invoiced": defaultdict(float),
            "pending": defaultdict(float),
            "held": defaultdict(float),
            "records": defaultdict(lambda: self.env["service.attendance"]),
        }
        for attendance in (
            self.env["service.attendance"]
            .sudo()
            .search([("service_order_id", "in", orders.ids), ("invoice_line_id", "!=", False)])
        ):
            for line in attendance.invoice_line_id.sale_line_ids:
                result["invoiced"][line] += attendance.billable_hours
        for attendance, (line, held) in orders._billing_plan().items():
            if held:
                result["held"][line] += attendance.billable_hours
            elif date_until and attendance._service_local_day(attendance.check_out) > date_until:
                continue
            else:
                result["pending"][line] += attendance.billable_hours
                result["records"][line] |= attendance
        return result

    @api.depends("service_order_id.billing_policy", "service_order_id.held_hours")
    def _compute_qty_to_invoice(self):
        """Sold hours policy: the sold quantity, as for products invoiced on order. Actual hours
        policy: the billable hours on no invoice yet and not held, whatever else was invoiced
        on the line, so an hour is never billed twice."""
        result = super()._compute_qty_to_invoice()
        lines = self.filtered(
            lambda sol: (
                sol.qty_delivered_method == "service_order" and sol.state == "sale" and sol.service_order_id
            )
        )
        if not lines:
            return result
        hours = lines._service_hours_by_line()
        hour = self.env["uom.uom"]._service_hour()
        for line in lines:
            if line.service_order_id.billing_policy == "ordered":
                line.qty_to_invoice = line.product_uom_qty - line.qty_invoiced
            else:
                line.qty_to_invoice = hour._compute_quantity(
                    hours["pending"][line._origin], line.product_uom_id, round=False
                )
        return result

    @api.depends("service_order_id.billing_policy", "service_order_id.upsell_hours")
    def _compute_invoice_status(self):
        """Upselling follows the order's extra hours rather than the product's policy, under
        both policies (extra hours sold, or held until they are); a line is invoiced when its
        order's sold hours are, whichever of the order's lines billed them."""
        result = super()._compute_invoice_status()
        lines = self.filtered(
            lambda sol: (
                sol.qty_delivered_method == "service_order"
                and sol.state == "sale"
                and sol.service_order_id
                and sol.invoice_status in ("no", "upselling", "invoiced")
            )
        )
        hour = self.env["uom.uom"]._service_hour()
        invoiced_hours = defaultdict(float)
        for line in lines.service_order_id.sudo().sale_line_ids:
            invoiced_hours[line.service_order_id] += line.product_uom_id._compute_quantity(
                line.qty_invoiced, hour, round=False
            )
        for line in lines:
            order = line.service_order_id
            if order.upsell_hours > HOURS_EPSILON:
                line.invoice_status = "upselling"
            elif invoiced_hours[order] >= order.sold_hours - HOURS_EPSILON:
                line.invoice_status = "invoiced"
            else:
                line.invoice_status = "no"
        return result

    def _prepare_invoice_line(self, **optional_values):
        """Service hours say which order, visits, technicians and hours they bill."""
        values = super()._prepare_invoice_line(**optional_values)
        if self.qty_delivered_method == "service_order" and self.service_order_id and not self.display_type:
            records = self.env["service.attendance"].browse(
                self.env.context.get("service_invoice_records", {}).get(self.id, [])
            )
            values["service_order_id"] = self.service_order_id.id
            name = self.env._(
                "%(line)s\nService order %(order)s", line=values["name"], order=self.service_order_id.name
            )
            if records:
                name = f"{name}: {records.sudo()._billing_label()}"
            values["name"] = name
        return values
