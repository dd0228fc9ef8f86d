from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError

from .service_order import HOURS_EPSILON


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        """Posting an invoice locks the time records it bills; posting a credit note gives back
        exactly the records of the hours it reverses, so they can be billed again, once."""
        # Checked before posting: a refused credit note leaves nothing posted.
        # The customer may have changed on the draft since the lines were made.
        self.invoice_line_ids._check_service_order_customer()
        self.filtered(lambda m: m.move_type == "out_invoice")._service_link_copied_lines()
        releases = self.filtered(lambda m: m.move_type == "out_refund")._service_refunded_records()
        posted = super()._post(soft=soft)
        invoices = posted.filtered(lambda m: m.move_type == "out_invoice")
        records = invoices.invoice_line_ids.sudo().service_attendance_ids
        records.filtered(lambda a: not a.is_invoiced).write({"is_invoiced": True})
        released = self.env["service.attendance"].sudo()
        for refund in posted:
            released |= releases.get(refund, released)
        released.filtered("is_invoiced").write({"is_invoiced": False})
        released.write({"invoice_line_id": False})
        return posted

    def _service_link_copied_lines(self):
        """Lines that bill the actual hours of an order without its time records (copies, such
        as the new draft invoice of a credit note that modifies an invoice) take the records not
        invoiced yet that make up their quantity: posted without them, those hours would be
        billed again by the next invoice of the order. Refused when no whole visits do."""
        lines = self.invoice_line_ids.sudo().filtered(
            lambda line: (
                line.service_order_id.billing_policy == "actual"
                and line.quantity > 0
                and not line.service_attendance_ids
            )
        )
        if not lines:
            return
        hour = self.env["uom.uom"]._service_hour()
        pending = defaultdict(self.env["service.attendance"].sudo)
        for record, (sale_line, held) in lines.service_order_id._billing_plan().items():
            if not held:
                pending[sale_line] |= record
        for line in lines:
            candidates = self.env["service.attendance"].sudo()
            for sale_line in line.sale_line_ids:
                candidates |= pending[sale_line]
            candidates = candidates.sorted(lambda a: (a.check_in, a.id))
            wanted = line.product_uom_id._compute_quantity(line.quantity, hour, round=False)
            records = candidates._service_records_making(wanted)
            if records is None:
                raise UserError(
                    self.env._(
                        "%(invoice)s bills %(hours)s hours of %(order)s that are not its visits left to "
                        "invoice (%(visits)s). Invoice the service order instead.",
                        invoice=line.move_id.display_name,
                        hours=f"{wanted:.2f}",
                        order=line.service_order_id.name,
                        visits=candidates._billing_label() or self.env._("none"),
                    )
                )
            records.invoice_line_id = line
            for sale_line in line.sale_line_ids:
                pending[sale_line] -= records

    def button_draft(self):
        """An invoice back in draft unlocks its records (still on it, so not billable twice). A
        credit note that gave hours back stays posted: once those hours are billed again, posting
        it a second time would give them back twice."""
        refunds = self.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type == "out_refund"
                and m.invoice_line_ids.filtered("service_order_id")
            )
        )
        if refunds:
            raise UserError(
                self.env._(
                    "%(refunds)s gave service hours back and cannot be reset to draft. To bill those "
                    "hours, invoice the service order again.",
                    refunds=", ".join(refunds.mapped("name")),
                )
            )
        posted = self.filtered(lambda m: m.state == "posted" and m.move_type == "out_invoice")
        if posted:
            records = posted.invoice_line_ids.sudo().service_attendance_ids.filtered("is_invoiced")
            records.write({"is_invoiced": False})
        return super().button_draft()

    def button_cancel(self):
        """A cancelled invoice bills nothing: its records become billable again."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        result = super().button_cancel()
        records = invoices.invoice_line_ids.sudo().service_attendance_ids
        if records:
            records.filtered("is_invoiced").write({"is_invoiced": False})
            records.write({"invoice_line_id": False})
        return result

    def _service_refunded_records(self):
        """The records each credit note gives back, as {credit note: records}: for each of its
        lines of a service order, the latest records of the reversed invoice line whose hours
        add up to the line's quantity. A quantity that no set of whole records makes up is
        refused under the actual hours policy: it would give back part of a visit."""
        hour = self.env["uom.uom"]._service_hour()
        result = {}
        for refund_line in self.invoice_line_ids.filtered("service_order_id"):
            origin_lines = refund_line.move_id.reversed_entry_id.invoice_line_ids.filtered(
                lambda line, refund_line=refund_line: (
                    line.service_order_id == refund_line.service_order_id
                    and line.sale_line_ids == refund_line.sale_line_ids
                )
            )
            records = origin_lines.sudo().service_attendance_ids.sorted(
                lambda a: (a.check_in, a.id), reverse=True
            )
            if not records:
                continue
            wanted = refund_line.product_uom_id._compute_quantity(refund_line.quantity, hour, round=False)
            released = records._service_records_making(wanted)
            left = 0.0
            if released is None:
                # No whole visits make it up: the latest that fit.
                released = self.env["service.attendance"]
                left = wanted
                for record in records:
                    if record.billable_hours <= left + HOURS_EPSILON:
                        released |= record
                        left -= record.billable_hours
            ordered = refund_line.service_order_id.billing_policy == "ordered"
            if abs(left) > HOURS_EPSILON and not ordered:
                raise UserError(
                    self.env._(
                        "The credit note %(refund)s gives back %(hours)s hours of %(order)s, which are "
                        "not whole visits. The visits billed on %(invoice)s are: %(visits)s.",
                        refund=refund_line.move_id.display_name,
                        hours=f"{wanted:.2f}",
                        order=refund_line.service_order_id.name,
                        invoice=refund_line.move_id.reversed_entry_id.display_name,
                        visits=records._billing_label(),
                    )
                )
            result[refund_line.move_id] = result.get(refund_line.move_id, released) | released
        return result
