import math

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

# Work allowed to the search for whole visits making up a credited quantity (hundredths of an
# hour times visits): a credit note of 1,000 hours over 500 visits is beyond it, and matched
# visit by visit instead.
SUBSET_SUM_BUDGET = 5_000_000


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
                date=fields.Date.to_string(attendance._service_local_day(attendance.check_in)),
                employee=attendance.employee_id.name,
                hours=f"{attendance.billable_hours:.2f}",
            )
            for attendance in self.sorted(lambda a: (a.check_in, a.id))
        )

    def _service_local_day(self, moment):
        """The day ``moment`` (a UTC datetime of this record) falls on where the work was done:
        in the technician's time zone, then the user's. A visit at 00:30 in Brussels is on that
        day, not on the UTC day before."""
        self.ensure_one()
        zone = pytz.timezone(self.employee_id.tz or self.env.user.tz or "UTC")
        return pytz.utc.localize(moment).astimezone(zone).date()

    def _service_records_making(self, hours):
        """The records among these whose billable hours add up to ``hours`` exactly, the first
        ones (in this recordset's order) preferred, or None when no set of whole records does.
        A subset sum over hundredths of an hour: 4 hours over visits of 3, 2 and 2 hours are
        the two visits of 2, which taking the first visit that fits would miss."""
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        factor = 10**digits
        target = round(hours * factor)
        sizes = [round(record.billable_hours * factor) for record in self]
        if target < 0 or target * len(sizes) > SUBSET_SUM_BUDGET:
            return None
        reachable = {0: ()}
        for index, size in enumerate(sizes):
            if target in reachable:
                break
            for total, chosen in list(reachable.items()):
                if size and total + size <= target and total + size not in reachable:
                    reachable[total + size] = (*chosen, index)
        chosen = reachable.get(target)
        return None if chosen is None else self.browse([self[index].id for index in chosen])
