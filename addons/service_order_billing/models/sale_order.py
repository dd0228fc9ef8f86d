from collections import defaultdict

from odoo import models

from .service_order import HOURS_EPSILON


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _create_invoices(self, grouped=False, final=False, date=None):
        """Every invoice of a sale with service hours, from the service order or from the sale,
        bills whole time records and links them to its line: posting locks them, a credit note
        gives them back.

        The service orders are locked first (``service.order._billing_lock``): two workers that
        invoice the same order at once give one invoice. The context key
        ``service_invoice_until`` (a date) leaves out the time recorded after it."""
        service_orders = self.sudo().service_order_ids.filtered(lambda so: so.state != "cancelled")
        if not service_orders:
            return super()._create_invoices(grouped=grouped, final=final, date=date)
        service_orders._billing_lock()
        until = self.env["service.order"]._billing_date(self.env.context.get("service_invoice_until"))
        lines = self.order_line.filtered(
            lambda sol: sol.qty_delivered_method == "service_order" and sol.state == "sale"
        )
        hours = lines._service_hours_by_line(date_until=until)
        hour = self.env["uom.uom"]._service_hour()
        records = {}
        for line in lines:
            records[line.id] = hours["records"][line].ids
            if line.service_order_id.billing_policy == "actual":
                # The quantity is exactly the records billed (as sale_timesheet does for a period).
                line.qty_to_invoice = hour._compute_quantity(
                    hours["pending"][line], line.product_uom_id, round=False
                )
        # Read at once what the invoice lines show, rather than sale by sale.
        billed = (
            self.env["service.attendance"].sudo().browse([rid for ids in records.values() for rid in ids])
        )
        billed.mapped("employee_id.name")
        lines.service_order_id.mapped("name")
        moves = super(SaleOrder, self.with_context(service_invoice_records=records))._create_invoices(
            grouped=grouped, final=final, date=date
        )
        by_invoice_line = defaultdict(list)
        for move_line in moves.sudo().invoice_line_ids:
            for sale_line in move_line.sale_line_ids:
                if records.get(sale_line.id):
                    by_invoice_line[move_line].extend(records.pop(sale_line.id))
        attendances = self.env["service.attendance"].sudo()
        for move_line, attendance_ids in by_invoice_line.items():
            attendances.browse(attendance_ids).invoice_line_id = move_line
        return moves

    def _nothing_to_invoice_error_message(self):
        """Odoo's advice (deliver the products, change their invoicing policy) does not apply to
        service hours: say where the orders' hours are."""
        orders = self.sudo().service_order_ids.filtered(lambda so: so.state != "cancelled")
        if not orders:
            return super()._nothing_to_invoice_error_message()
        message = self.env._(
            "Nothing to invoice for %(orders)s: their hours are on invoices already (the sold hours, "
            "under the sold hours policy), or were recorded after the date asked for.",
            orders=", ".join(orders.mapped("name")),
        )
        held = orders.filtered(lambda so: so.held_hours > HOURS_EPSILON)
        if held:
            message += "\n" + self.env._(
                "Extra hours wait for a service manager's approval: %(orders)s.",
                orders=", ".join(f"{so.name} ({so.held_hours:.2f} h)" for so in held),
            )
        return message

    def _service_check_cancel(self):
        """Nor can a sale be cancelled once hours of its service orders were invoiced."""
        self.sudo().service_order_ids.filtered(lambda so: so.state != "cancelled")._check_no_invoiced_hours()
        return super()._service_check_cancel()
