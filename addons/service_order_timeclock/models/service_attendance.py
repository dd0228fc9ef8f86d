import math

from odoo import api, fields, models
from odoo.addons.service_order.tools import dates
from odoo.exceptions import AccessError, UserError

_EARTH_RADIUS_M = 6371008.8
_TIME_FIELDS = ("check_in", "check_out")


def distance_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(a))


class ServiceAttendance(models.Model):
    """Time recorded by a technician on an assignment: travel to the site, or work on it."""

    _name = "service.attendance"
    _description = "Service Time Record"
    _inherit = ["mail.thread"]
    _order = "check_in desc, id desc"
    _check_company_auto = True
    _rec_name = "assignment_id"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    assignment_id = fields.Many2one(
        "service.assignment", required=True, index=True, ondelete="restrict", check_company=True
    )
    # Precomputed: written with the insert, as a clock-in must be quick.
    service_order_id = fields.Many2one(
        related="assignment_id.service_order_id",
        store=True,
        index=True,
        precompute=True,
        string="Service Order",
    )
    company_id = fields.Many2one(related="assignment_id.company_id", store=True, index=True, precompute=True)
    kind = fields.Selection(
        [("travel", "Travel"), ("work", "Work")],
        required=True,
        default="work",
        tracking=True,
        help="Travel to the site is recorded but is not worked time on the order.",
    )
    check_in = fields.Datetime(required=True, tracking=True)
    check_out = fields.Datetime(tracking=True, index=True)
    worked_hours = fields.Float(
        string="Duration",
        compute="_compute_worked_hours",
        store=True,
        help="Hours from check in to check out.",
    )
    in_latitude = fields.Float(digits=(10, 7))
    in_longitude = fields.Float(digits=(10, 7))
    out_latitude = fields.Float(digits=(10, 7))
    out_longitude = fields.Float(digits=(10, 7))
    in_distance = fields.Float(string="Distance at Check In (m)", digits=(16, 0))
    out_distance = fields.Float(string="Distance at Check Out (m)", digits=(16, 0))
    is_far = fields.Boolean(
        string="Away from Site",
        help="A clock event was recorded farther from the site than the company allows.",
    )
    is_invoiced = fields.Boolean(copy=False, readonly=True, index=True)
    correction_reason = fields.Text(tracking=True, help="Why a dispatcher changed the recorded times.")

    # A record may last no time at all: a tap on Arrive in the second of On My Way leaves an
    # empty travel record, which overlaps nothing.
    _check_out_after_check_in = models.Constraint(
        "CHECK(check_out IS NULL OR check_out >= check_in)", "A time record cannot end before it starts."
    )
    _times_in_range = models.Constraint(
        f"CHECK({dates.sql_bounds('check_in')} AND (check_out IS NULL OR {dates.sql_bounds('check_out')}))",
        "The times of a time record must be between 1900 and 2199.",
    )
    _one_open_per_employee = models.UniqueIndex(
        "(employee_id) WHERE check_out IS NULL",
        "This person is already clocked in on a job: clock out first.",
    )
    # An open record runs to infinity, so it also overlaps any record that starts after it.
    _no_overlap = models.Constraint(
        "EXCLUDE USING gist (employee_id WITH =, tsrange(check_in, check_out) WITH &&)",
        "Two time records of one person cannot overlap.",
    )

    @api.depends("check_in", "check_out")
    def _compute_worked_hours(self):
        for attendance in self:
            if attendance.check_in and attendance.check_out:
                seconds = round((attendance.check_out - attendance.check_in).total_seconds())
                attendance.worked_hours = seconds / 3600
            else:
                attendance.worked_hours = 0.0

    # ------------------------------------------------------------------ corrections
    @api.model
    def _get_correction_fields(self):
        """The fields whose change is a correction of the recorded time, which needs a reason."""
        return {"check_in", "check_out", "kind", "employee_id", "assignment_id"}

    @api.model
    def _get_protected_fields(self):
        """Written by the system only: billing marks invoiced time, the clock records positions."""
        return {
            "is_invoiced",
            "in_latitude",
            "in_longitude",
            "out_latitude",
            "out_longitude",
            "in_distance",
            "out_distance",
            "is_far",
        }

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            dates.check_date_values(self, vals, _TIME_FIELDS)
        # The clock creates records under sudo; a record typed in by a dispatcher is a correction.
        if not self.env.su:
            for vals in vals_list:
                self._check_manual_values({name for name, value in vals.items() if value}, vals)
        return super().create(vals_list)

    def write(self, vals):
        dates.check_date_values(self, vals, _TIME_FIELDS)
        if not self.env.su:
            self._check_manual_values(vals.keys(), vals)
        if set(vals) != {"is_invoiced"}:
            self._check_not_invoiced()
        return super().write(vals)

    def _check_manual_values(self, field_names, vals):
        """What a user sends: no system field, and a reason for any change of the recorded time."""
        protected = self._get_protected_fields() & set(field_names)
        if protected:
            raise AccessError(
                self.env._(
                    "%(fields)s of a time record are set by the system.",
                    fields=", ".join(sorted(self._fields[name].string for name in protected)),
                )
            )
        if (
            self._get_correction_fields() & set(field_names)
            and not (vals.get("correction_reason") or "").strip()
        ):
            raise UserError(
                self.env._(
                    "Say why you record or correct the time of %(records)s: a reason is required.",
                    records=", ".join(self._describe()) or self.env._("a new record"),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoiced(self):
        self._check_not_invoiced()

    def _check_not_invoiced(self):
        invoiced = self.filtered("is_invoiced")
        if invoiced:
            raise UserError(
                self.env._(
                    "These time records were invoiced and can no longer change: %(records)s. "
                    "Issue a credit note first.",
                    records=", ".join(invoiced._describe()),
                )
            )

    def _describe(self):
        return [
            self.env._(
                "%(employee)s on %(order)s from %(start)s",
                employee=attendance.employee_id.name,
                order=attendance.service_order_id.name,
                start=fields.Datetime.to_string(attendance.check_in),
            )
            for attendance in self
        ]

    # ------------------------------------------------------------------ positions
    def _site_distance(self, latitude, longitude):
        """Metres between a position and the site of the record's assignment, or None when the
        site has no coordinates."""
        self.ensure_one()
        site = self.assignment_id.site_id or self.service_order_id.site_id
        if latitude is None or not (site.partner_latitude or site.partner_longitude):
            return None
        return distance_m(latitude, longitude, site.partner_latitude, site.partner_longitude)

    def _record_position(self, side, latitude, longitude):
        """Store where ``side`` ('in' or 'out') was clocked, and flag it when it is too far."""
        self.ensure_one()
        if latitude is None:
            return
        distance = self._site_distance(latitude, longitude)
        vals = {f"{side}_latitude": latitude, f"{side}_longitude": longitude}
        if distance is not None:
            vals[f"{side}_distance"] = distance
            if distance > self.company_id.service_clock_max_distance:
                vals["is_far"] = True
        self.sudo().write(vals)
