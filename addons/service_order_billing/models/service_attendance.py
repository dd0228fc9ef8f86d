import math

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round


class ServiceAttendance(models.Model):
    _inherit = "service.attendance"

    billable_hours = fields.Float(
        compute="_compute_billable_hours",
        store=True,
        digits="Product Unit",
        help="The hours billed for this record: the customer's rounding and minimum applied once, "
        "to this visit. Travel counts only when the company bills it.",
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The invoice line that bills this record; cleared when a credit note gives it back.",
    )

    # Rounding rules are read when the time is recorded or corrected, not when they change: a
    # new setting never reprices time already billed (the compute does not depend on it), and
    # invoiced time cannot be corrected (see _check_not_invoiced).
    @api.depends("worked_hours", "kind", "check_out")
    def _compute_billable_hours(self):
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        for attendance in self:
            attendance.billable_hours = float_round(
                attendance._billable_minutes() / 60, precision_digits=digits
            )

    def _billable_minutes(self):
        self.ensure_one()
        company = self.company_id or self.env.company
        if not self.check_out or (self.kind == "travel" and not company.service_bill_travel):
            return 0.0
        seconds = round((self.check_out - self.check_in).total_seconds())
        if not seconds:
            return 0.0
        partner = self.service_order_id.partner_id
        rounding, minimum = partner._service_billing_rules(company) if partner else (0, 0)
        minutes = seconds / 60
        if rounding:
            minutes = math.ceil(minutes / rounding - 1e-9) * rounding
        if self.kind == "work":
            minutes = max(minutes, minimum)
        return minutes

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {"billable_hours", "invoice_line_id"}

    def _check_not_invoiced(self):
        """Time on a draft invoice is locked too: its hours are the invoice's quantity."""
        result = super()._check_not_invoiced()
        drafted = self.sudo().filtered(lambda a: a.invoice_line_id.parent_state == "draft")
        if drafted:
            raise UserError(
                self.env._(
                    "These time records are on the draft invoice %(invoices)s and can no longer change: "
                    "%(records)s. Delete or cancel the invoice first.",
                    invoices=", ".join(drafted.invoice_line_id.move_id.mapped("display_name")),
                    records=", ".join(drafted._describe()),
                )
            )
        return result

    def _billing_label(self):
        """How the record reads on an invoice line: date, technician and billed hours."""
        return ", ".join(
            self.env._(
                "%(date)s %(employee)s %(hours)s h",
                date=fields.Date.to_string(attendance.check_in.date()),
                employee=attendance.employee_id.name,
                hours=f"{attendance.billable_hours:.2f}",
            )
            for attendance in self.sorted(lambda a: (a.check_in, a.id))
        )
