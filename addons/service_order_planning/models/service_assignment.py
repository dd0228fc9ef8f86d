import math
import re
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import autoplan, spans
from ..tools.availability import WorkingTime
from ..tools.board import Board

_EPSILON = 1e-6
# Assignments that still hold their employee's time.
OPEN_STATES = ("planned", "confirmed")
# What an assignment may cover (naive UTC, the end included): a booking from 1900 or to 2100 is a
# typo that would make every availability computation across it crawl. See _get_date_window().
_DATE_WINDOW = (datetime(2000, 1, 1), datetime(2101, 1, 1))
# Fields that make or move a booking: their changes go through the double-booking check.
_BOOKING_FIELDS = frozenset({"employee_id", "date_start", "date_end", "site_id", "state", "service_order_id"})
# Fields whose changes can break the bounds of _check_bounds().
_BOUNDED_FIELDS = frozenset({"employee_id", "date_start", "date_end", "planned_hours", "service_order_id"})
# The longest period the board and the free slots are computed for at once.
_MAX_DAYS = 366
# The most employees the board and the free slots are asked for at once.
_MAX_EMPLOYEES = 10000
# How far beyond the days shown the board follows a booking to spread its hours: more than the
# longest assignment allowed, so that a booking is clipped only when it is longer than that.
_SPREAD_MARGIN = timedelta(days=31)
# The dates the planning computes with (pytz and timestamps overflow near years 1 and 9999).
_FIRST_DATE = date(1900, 1, 1)
_LAST_DATE = date(2199, 12, 31)
# The detail PostgreSQL gives for an exclusion violation ends with the existing conflicting key:
# ``... conflicts with existing key (employee_id, tsrange(...))=(12, ["2026-11-30 09:00:00","..."))``
_EXCLUSION_KEY = re.compile(r'existing key \([^)]*\)\)=\((\d+), [\[(]"?([^",]+)"?,"?([^")\]]+)"?')


def _double_booking_message(env, diagnostics):
    """Name the employee and the times of the booking that won a race to the database."""
    match = diagnostics and _EXCLUSION_KEY.search(diagnostics.message_detail or "")
    if not match:
        return env._("This employee is already booked at that time.")
    employee = env["hr.employee"].sudo().browse(int(match.group(1)))
    start, end = (fields.Datetime.to_datetime(match.group(i)[:19]) for i in (2, 3))
    return env._(
        "%(employee)s was booked from %(start)s to %(end)s by someone else at the same moment. "
        "Reload and pick another time.",
        employee=employee.name,
        start=_format_local(start, employee.tz),
        end=_format_local(end, employee.tz),
    )


def _format_local(value, tz_name):
    tz = pytz.timezone(tz_name or "UTC")
    return f"{pytz.utc.localize(value).astimezone(tz):%Y-%m-%d %H:%M} ({tz.zone})"


def _float_time(hours):
    """Hours as the float_time widget shows them (25:30)."""
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _rounded_hours(seconds):
    """Hours of the nearest whole number of seconds: bookings are stored to the second, so any
    finer digit is float noise (18.99999999947 hours are 19 hours)."""
    return round(seconds) / spans.HOUR


class ServiceAssignment(models.Model):
    _name = "service.assignment"
    _description = "Service Assignment"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["service_order_id", "employee_id"]

    service_order_id = fields.Many2one(
        "service.order",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain="[('state', 'not in', ('done', 'cancelled'))]",
    )
    employee_id = fields.Many2one("hr.employee", required=True, index=True, tracking=True, check_company=True)
    user_id = fields.Many2one(related="employee_id.user_id", string="User")
    department_id = fields.Many2one(related="employee_id.department_id", store=True, string="Department")
    partner_id = fields.Many2one(related="service_order_id.partner_id", string="Customer")
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End", required=True, tracking=True)
    planned_hours = fields.Float(
        compute="_compute_planned_hours",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
        help="Defaults to the employee's working time within the assignment (breaks, time off and "
        "public holidays excluded).",
    )
    site_id = fields.Many2one(
        "res.partner",
        compute="_compute_site_id",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
    )
    state = fields.Selection(
        [("planned", "Planned"), ("confirmed", "Confirmed"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one(
        related="service_order_id.company_id", store=True, index=True, precompute=True
    )
    notes = fields.Text()
    color = fields.Integer(related="employee_id.color")
    capacity_warning = fields.Char(
        compute="_compute_capacity_warning",
        help="Set when the assignment falls outside the employee's working hours, on their time off, "
        "or overbooks the order.",
    )

    _dates_ordered = models.Constraint(
        "CHECK(date_end > date_start)", "An assignment must end after it starts."
    )
    _planned_hours_positive = models.Constraint(
        "CHECK(planned_hours >= 0)", "The planned hours of an assignment cannot be negative."
    )
    # Planned hours are whole seconds (see _rounded_hours); the second of slack absorbs the float
    # error of the product. create and write refuse the same with a message naming the values.
    _planned_hours_within_dates = models.Constraint(
        "CHECK(planned_hours * 3600 <= extract(epoch FROM date_end - date_start) + 1)",
        "The planned hours of an assignment cannot exceed the time between its start and its end.",
    )
    # The invariant that must survive concurrent workers: the Python check in create/write gives a
    # readable message, but only this constraint is atomic with the insert. '[)' ranges let one
    # assignment end exactly when the next begins.
    _no_double_booking = models.Constraint(
        "EXCLUDE USING gist (employee_id WITH =, tsrange(date_start, date_end) WITH &&)"
        " WHERE (state != 'cancelled')",
        _double_booking_message,
    )
    _employee_start_idx = models.Index("(employee_id, date_start)")

    # ------------------------------------------------------------------ computes
    @api.depends("service_order_id.site_id")
    def _compute_site_id(self):
        # Done and cancelled assignments record where the work was (or would have been): a later
        # change of the order's site leaves them alone. New records start at the order's site.
        for assignment in self:
            if assignment.state in OPEN_STATES or not assignment._origin:
                assignment.site_id = assignment.service_order_id.site_id

    @api.depends("employee_id", "date_start", "date_end")
    def _compute_planned_hours(self):
        valid = self.filtered(
            lambda a: a.employee_id and a.date_start and a.date_end and a.date_end > a.date_start
        )
        (self - valid).planned_hours = 0.0
        if not valid:
            return
        schedules = valid.employee_id._service_availability(
            min(valid.mapped("date_start")), max(valid.mapped("date_end"))
        )
        timelines = {}
        for assignment in valid:
            employee_id = assignment.employee_id.id
            if employee_id not in timelines:
                timelines[employee_id] = WorkingTime(schedules[employee_id])
            start, end = spans.seconds(assignment.date_start), spans.seconds(assignment.date_end)
            # Outside working hours the whole span counts: somebody is still booked for it.
            worked = timelines[employee_id].seconds(start, end) or end - start
            assignment.planned_hours = _rounded_hours(worked)

    @api.depends("employee_id", "date_start", "date_end", "service_order_id.is_overbooked", "planned_hours")
    def _compute_capacity_warning(self):
        problems = self._capacity_problems()
        for assignment in self:
            messages = [problems[assignment]] if assignment in problems else []
            order = assignment.service_order_id
            planned = order.planned_hours
            if assignment.state != "cancelled":
                planned += assignment.planned_hours - (assignment._origin.planned_hours or 0.0)
            if order and planned > order.sold_hours + _EPSILON:
                messages.append(
                    self.env._(
                        "%(order)s is overbooked: %(planned)s hours planned for %(sold)s sold.",
                        order=order.name,
                        planned=_float_time(planned),
                        sold=_float_time(order.sold_hours),
                    )
                )
            assignment.capacity_warning = "\n".join(messages) or False

    def _compute_display_name(self):
        for assignment in self:
            assignment.display_name = " - ".join(
                name for name in (assignment.service_order_id.name, assignment.employee_id.name) if name
            )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # Access first: the checks below read other people's bookings and lock orders.
        self.check_access("create")
        for vals in vals_list:
            self._check_relation_ids(vals)
        vals_list = [self._round_planned_hours(vals) for vals in vals_list]
        orders = self.env["service.order"].browse(
            {vals["service_order_id"] for vals in vals_list if vals.get("service_order_id")}
        )
        self._check_orders_open(orders)
        # Records taken from the recordset keep its prefetching: one query for all orders.
        order_by_id = {order.id: order for order in orders}
        rows = []
        for vals in vals_list:
            order = order_by_id.get(vals.get("service_order_id")) or orders.browse()
            rows.append(
                {
                    "id": None,
                    "order": order,
                    "employee_id": vals.get("employee_id"),
                    "date_start": self._parse_datetime(vals.get("date_start")),
                    "date_end": self._parse_datetime(vals.get("date_end")),
                    "site_id": vals.get("site_id", order.site_id.id),
                    "state": vals.get("state", "planned"),
                    "planned_hours": vals.get("planned_hours"),
                }
            )
        self._check_bounds(rows)
        self._check_bookings([row for row in rows if row["state"] != "cancelled"])
        # The order's chatter and the assignment's tracking tell the story; a "created" note and
        # a follower per assignment would only weigh on bulk planning.
        assignments = super(
            ServiceAssignment, self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        ).create(vals_list)
        assignments = assignments.with_env(self.env)
        assignments.filtered(lambda a: a.state == "confirmed")._hand_over_orders()
        return assignments

    def write(self, vals):
        self.check_access("write")
        self._check_relation_ids(vals)
        vals = self._round_planned_hours(vals)
        if (_BOOKING_FIELDS | _BOUNDED_FIELDS) & vals.keys():
            rows = self._rows_after_write(vals)
            if "service_order_id" in vals:
                self._check_orders_open(self.env["service.order"].browse(vals["service_order_id"]))
            if {"employee_id", "date_start", "date_end", "state"} & vals.keys():
                # Rebooking (a reset, other dates, another person) is as new a booking as a create.
                self._check_orders_open(
                    self.env["service.order"].union(
                        *(row["order"] for row in rows if row["state"] != "cancelled")
                    )
                )
            if _BOUNDED_FIELDS & vals.keys():
                self._check_bounds(rows)
            if _BOOKING_FIELDS & vals.keys() and vals.get("state") != "cancelled":
                self._check_bookings([row for row in rows if row["state"] != "cancelled"])
        result = super().write(vals)
        if vals.get("state") == "confirmed" or (
            "service_order_id" in vals and any(a.state == "confirmed" for a in self)
        ):
            self.filtered(lambda a: a.state == "confirmed")._hand_over_orders()
        return result

    def _rows_after_write(self, vals):
        """What each assignment of ``self`` will be after ``write(vals)``, in the shape of the
        rows that _check_bounds and _check_bookings take."""
        new_order = self.env["service.order"].browse(vals.get("service_order_id"))
        start = self._parse_datetime(vals.get("date_start"))
        end = self._parse_datetime(vals.get("date_end"))
        rows = []
        for assignment in self:
            state = vals.get("state", assignment.state)
            order = new_order if "service_order_id" in vals else assignment.service_order_id
            if "site_id" in vals:
                site_id = vals["site_id"]
            elif "service_order_id" in vals and state in OPEN_STATES:
                # _compute_site_id moves open assignments to their new order's site.
                site_id = order.site_id.id
            else:
                site_id = assignment.site_id.id
            rows.append(
                {
                    "id": assignment.id,
                    "order": order,
                    "employee_id": vals.get("employee_id", assignment.employee_id.id),
                    "date_start": start if "date_start" in vals else assignment.date_start,
                    "date_end": end if "date_end" in vals else assignment.date_end,
                    "site_id": site_id,
                    "state": state,
                    # Not written: computed from the dates, so within them.
                    "planned_hours": vals.get("planned_hours"),
                }
            )
        return rows

    def _check_company(self, fnames=None):
        """The ORM checks the companies of every record on its own, with a domain evaluation per
        record and field; a bulk planning has few distinct company, employee and site
        combinations. Check one record of each, and all of them only to report a problem."""
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = self._fields
        names = [
            name for name in fnames if self._fields[name].relational and self._fields[name].check_company
        ]
        if len(self) < 2 or any(self._fields[name].company_dependent for name in names):
            return super()._check_company(fnames)
        representatives = {}
        for record in self.sudo():
            key = (record.company_id.id, *(record[name]._ids for name in names))
            representatives.setdefault(key, record.id)
        try:
            super(ServiceAssignment, self.browse(representatives.values()))._check_company(fnames)
        except UserError:
            # The full check names every inconsistent record.
            super()._check_company(fnames)
            raise
        return None

    def _hand_over_orders(self):
        """Confirmed assignments hand their orders over to the people booked: the first one of
        a draft order schedules it, and an order without a responsible gets the user of the first
        person booked (by start) who has one, so that it shows in their My Work."""
        orders = self.service_order_id
        drafts = orders.filtered(lambda o: o.state == "draft")
        if drafts:
            drafts.sudo()._set_state("scheduled")
        unowned = orders.filtered(lambda o: not o.user_id)
        if not unowned:
            return
        responsible = {}
        for assignment in self.sorted("date_start"):
            user = assignment.employee_id.user_id
            if user and assignment.service_order_id in unowned:
                responsible.setdefault(assignment.service_order_id, user)
        by_user = defaultdict(orders.browse)
        for order, user in responsible.items():
            by_user[user] |= order
        for user, user_orders in by_user.items():
            # The responsible is a protected field: set here for whoever may confirm bookings.
            user_orders.sudo().write({"user_id": user.id})

    # ------------------------------------------------------------------ bounds
    @api.model
    def _get_date_window(self):
        """The first and the last moment (naive UTC datetimes) an assignment may cover. A fixed
        window rather than one around today: imports of past work and plans years ahead stay
        possible, while the typos that would make availability computations crawl do not."""
        return _DATE_WINDOW

    @api.model
    def _parse_datetime(self, value):
        """A naive UTC datetime from what create or write received, or None when the value is
        missing (the ORM then names the required field); a clear error for anything else."""
        if not value:
            return None
        try:
            return fields.Datetime.to_datetime(value)
        except (TypeError, ValueError):
            raise ValidationError(self.env._("“%s” is not a valid date and time.", value)) from None

    @api.model
    def _round_planned_hours(self, vals):
        """``vals`` with its planned hours as a float rounded to the second, or ``vals`` itself
        when they are not set."""
        if "planned_hours" not in vals:
            return vals
        value = vals["planned_hours"]
        try:
            hours = float(value or 0.0)
        except (TypeError, ValueError):
            hours = math.nan
        # Beyond a finite number of seconds nothing can be rounded, nor fit in an assignment.
        if not math.isfinite(hours * spans.HOUR):
            raise ValidationError(self.env._("“%s” is not a number of hours.", value))
        return {**vals, "planned_hours": _rounded_hours(hours * spans.HOUR)}

    @api.model
    def _check_orders_open(self, orders):
        """Refuse to book time on orders that are over: nobody works on them any more.

        The no-op update serialises the booking with a concurrent close of the same orders,
        which locks and updates them: whichever transaction comes second fails to serialise and
        is retried, then sees the closed order or the new assignment to cancel. A mere lock would
        not do: the close could still run on a snapshot that misses the new assignment."""
        if not orders:
            return
        self.env.cr.execute(SQL("UPDATE service_order SET state = state WHERE id IN %s", tuple(orders.ids)))
        closed = orders.filtered(lambda o: o.state in ("done", "cancelled"))
        if closed:
            labels = dict(orders._fields["state"]._description_selection(self.env))
            raise ValidationError(
                self.env._(
                    "No assignment can be booked on a service order that is done or cancelled: %(orders)s.",
                    orders=", ".join(f"{order.name} ({labels[order.state]})" for order in closed),
                )
            )

    @api.model
    def _check_bounds(self, rows):
        """Refuse assignments that end before they start, lie outside _get_date_window(), last
        longer than their company allows, or plan negative hours or more hours than they last.

        ``rows`` are dicts with ``order``, ``employee_id``, ``date_start`` and ``date_end``
        (naive UTC datetimes or None) and ``planned_hours`` (a rounded float, or None when
        computed). These rules hold for cancelled assignments too: computing their planned hours
        costs what they last. Every problem is listed in one ValidationError."""
        first, last = self._get_date_window()
        problems = []
        for row in rows:
            order, start, end = row["order"], row["date_start"], row["date_end"]
            if not order or not start or not end:
                continue
            if start < first or end > last:
                problems.append(("window", row))
            elif end < start:
                problems.append(("reversed", row))
            elif end == start:
                problems.append(("empty", row))
            else:
                duration = end - start
                if duration > timedelta(days=order.company_id.service_max_assignment_days):
                    problems.append(("length", row))
                hours = row["planned_hours"]
                if hours is not None and hours < 0:
                    problems.append(("negative", row))
                elif hours is not None and round(hours * spans.HOUR) > duration.total_seconds():
                    problems.append(("hours", row))
        if problems:
            # Only the refused rows pay for the names and the local times.
            employees = (
                self.env["hr.employee"]
                .sudo()
                .browse(
                    {row["employee_id"] for _kind, row in problems if isinstance(row["employee_id"], int)}
                )
            )
            employee_by_id = {employee.id: employee for employee in employees}
            raise ValidationError(
                "\n".join(
                    self._bounds_message(
                        kind, row, employee_by_id.get(row["employee_id"]) or employees.browse()
                    )
                    for kind, row in problems
                )
            )

    def _bounds_message(self, kind, row, employee):
        """The message of a problem ``kind`` that _check_bounds found in ``row``."""
        order, start, end = row["order"], row["date_start"], row["date_end"]
        values = {"order": order.name, "employee": employee.name or ""}
        if kind == "window":
            # In UTC: far dates may not exist in the employee's time zone.
            first, last = self._get_date_window()
            return self.env._(
                "%(order)s: the assignment of %(employee)s from %(start)s to %(end)s is outside "
                "the dates that can be planned, %(first)s to %(last)s.",
                start=f"{start:%Y-%m-%d %H:%M} (UTC)",
                end=f"{end:%Y-%m-%d %H:%M} (UTC)",
                first=f"{first:%Y-%m-%d}",
                last=f"{last:%Y-%m-%d}",
                **values,
            )
        values.update(start=_format_local(start, employee.tz), end=_format_local(end, employee.tz))
        if kind == "reversed":
            return self.env._(
                "%(order)s: the assignment of %(employee)s ends (%(end)s) before it starts (%(start)s).",
                **values,
            )
        if kind == "empty":
            return self.env._(
                "%(order)s: the assignment of %(employee)s at %(start)s has no duration.", **values
            )
        if kind == "length":
            return self.env._(
                "%(order)s: the assignment of %(employee)s from %(start)s to %(end)s lasts "
                "%(length)s; %(company)s allows at most %(limit)s days.",
                length=str(end - start),
                company=order.company_id.name,
                limit=order.company_id.service_max_assignment_days,
                **values,
            )
        if kind == "negative":
            # The bad value as it was given.
            return self.env._(
                "%(order)s: the planned hours of the assignment of %(employee)s from %(start)s to "
                "%(end)s cannot be negative (%(hours)s).",
                hours=f"{row['planned_hours']:.10g}",
                **values,
            )
        return self.env._(
            "%(order)s: %(hours)s of planned work do not fit in the assignment of %(employee)s "
            "from %(start)s to %(end)s, which lasts %(duration)s.",
            hours=_float_time(row["planned_hours"]),
            duration=_float_time((end - start).total_seconds() / spans.HOUR),
            **values,
        )

    # ------------------------------------------------------------------ booking checks
    @api.model
    def _check_order_sites(self, orders):
        """The open assignments of ``orders`` follow their order to its new site: refuse the
        change when the travel buffer no longer fits around them."""
        assignments = self.sudo().search_fetch(
            [("service_order_id", "in", orders.ids), ("state", "in", OPEN_STATES)],
            ["service_order_id", "employee_id", "date_start", "date_end"],
        )
        self._check_bookings(
            [
                {
                    "id": assignment.id,
                    "order": assignment.service_order_id,
                    "employee_id": assignment.employee_id.id,
                    "date_start": assignment.date_start,
                    "date_end": assignment.date_end,
                    "site_id": assignment.service_order_id.site_id.id,
                }
                for assignment in assignments
            ]
        )

    @api.model
    def _check_bookings(self, candidates):
        """Refuse bookings that overlap another active assignment of the same employee, or that
        leave less than the company's travel buffer between two sites.

        ``candidates`` are dicts with ``id`` (None for new records), ``order``,
        ``employee_id``, ``date_start``, ``date_end`` and ``site_id``. One query checks all of them
        against the database; the batch is checked against itself in memory. Every problem is
        listed in one ValidationError, so that nothing of a batch is saved.

        The travel buffer is not in the exclusion constraint: it only applies between different
        sites and its length is a company setting that can change, so a constraint would need a
        stored, frozen copy of the buffer on every row and could not compare sites of both rows
        with a tolerance. A race past it produces a tight schedule, not a double booking.
        """
        if not candidates:
            return
        employees = (
            self.env["hr.employee"].sudo().browse({c["employee_id"] for c in candidates if c["employee_id"]})
        )
        employee_by_id = {employee.id: employee for employee in employees}
        errors = []
        checked = []
        for candidate in candidates:
            order = candidate["order"]
            employee = employee_by_id.get(candidate["employee_id"]) or employees.browse()
            start = fields.Datetime.to_datetime(candidate["date_start"])
            end = fields.Datetime.to_datetime(candidate["date_end"])
            if not order or not employee or not start or not end or end <= start:
                # Required fields (the ORM names the missing one) or dates that _check_bounds refuses.
                continue
            if employee.company_id and employee.company_id != order.company_id:
                errors.append(
                    self.env._(
                        "%(order)s belongs to %(order_company)s, but %(employee)s works for %(company)s.",
                        order=order.name,
                        order_company=order.company_id.name,
                        employee=employee.name,
                        company=employee.company_id.name,
                    )
                )
                continue
            buffer = timedelta(minutes=(employee.company_id or order.company_id).service_travel_buffer)
            checked.append({**candidate, "employee": employee, "start": start, "end": end, "buffer": buffer})
        if not errors:
            self._lock_employees(employees)
            errors = self._booking_conflicts(checked)
        if errors:
            raise ValidationError("\n".join(errors))

    @api.model
    def _lock_employees(self, employees):
        """Serialise the bookings of ``employees``: the travel buffer and the capacity policy are
        checked in Python against the bookings this transaction sees, which a second worker
        booking the same person at the same moment cannot see. A no-op update of the people's
        rows, as ``_check_orders_open`` does for orders: the second worker waits for the first
        one, then fails to serialise and is retried, and its retry sees the first booking. Rows
        are taken in id order so that two batches of the same people cannot deadlock."""
        if not employees:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE hr_employee SET active = active
                 WHERE id IN (SELECT id FROM hr_employee WHERE id IN %s ORDER BY id FOR NO KEY UPDATE)
                """,
                tuple(employees.ids),
            )
        )

    @api.model
    def _booking_conflicts(self, candidates):
        if not candidates:
            return []
        rows = SQL(", ").join(
            SQL(
                "(%s, %s::int, %s::timestamp, %s::timestamp, %s::int, %s::int)",
                position,
                c["employee"].id,
                c["start"],
                c["end"],
                c["site_id"] or None,
                int(c["buffer"].total_seconds() // 60),
            )
            for position, c in enumerate(candidates)
        )
        self.flush_model(["employee_id", "date_start", "date_end", "site_id", "state"])
        excluded = [c["id"] for c in candidates if c["id"]] or [0]
        # The buffer only separates different sites; a missing site needs no travel.
        gap = SQL(
            "CASE WHEN a.site_id <> c.site_id THEN make_interval(mins => c.buffer) ELSE interval '0' END"
        )
        found = self.env.execute_query(
            SQL(
                """
                SELECT c.position, a.id
                  FROM (VALUES %(rows)s) AS c(position, employee_id, date_start, date_end, site_id, buffer)
                  JOIN service_assignment a ON a.employee_id = c.employee_id
                 WHERE a.state != 'cancelled'
                   AND a.id != ALL(%(excluded)s)
                   AND a.date_start < c.date_end + %(gap)s
                   AND a.date_end + %(gap)s > c.date_start
              ORDER BY c.position, a.date_start
                """,
                rows=rows,
                excluded=excluded,
                gap=gap,
            )
        )
        # One read for all the clashing bookings (error path only), their orders' names included.
        existing = self.sudo().browse({assignment_id for _position, assignment_id in found})
        existing.fetch(["service_order_id", "date_start", "date_end", "site_id"])
        existing.service_order_id.fetch(["name"])
        other_by_id = {
            other.id: {
                "order": other.service_order_id,
                "start": other.date_start,
                "end": other.date_end,
                "site_id": other.site_id.id,
            }
            for other in existing
        }
        pairs = [(candidates[position], other_by_id[assignment_id]) for position, assignment_id in found]
        # Within the batch: sort each employee's bookings and compare each with the next ones
        # that start before it ends (plus the buffer).
        by_employee = defaultdict(list)
        for candidate in candidates:
            by_employee[candidate["employee"]].append(candidate)
        for bookings in by_employee.values():
            bookings.sort(key=lambda c: c["start"])
            for index, first in enumerate(bookings):
                for second in bookings[index + 1 :]:
                    if second["start"] >= first["end"] + first["buffer"]:
                        break
                    if _too_close(first, second):
                        pairs.append((second, first))
        return [self._conflict_message(candidate, other) for candidate, other in pairs]

    def _conflict_message(self, candidate, other):
        employee = candidate["employee"]
        overlap = candidate["start"] < other["end"] and other["start"] < candidate["end"]
        values = {
            "employee": employee.name,
            "order": candidate["order"].name,
            "start": _format_local(candidate["start"], employee.tz),
            "end": _format_local(candidate["end"], employee.tz),
            "other": other["order"].name,
            "other_start": _format_local(other["start"], employee.tz),
            "other_end": _format_local(other["end"], employee.tz),
        }
        if overlap:
            return self.env._(
                "%(employee)s cannot work on %(order)s from %(start)s to %(end)s: "
                "already booked on %(other)s from %(other_start)s to %(other_end)s.",
                **values,
            )
        return self.env._(
            "%(employee)s cannot work on %(order)s from %(start)s to %(end)s: "
            "%(other)s (%(other_start)s to %(other_end)s) is at another site and the travel buffer of "
            "%(buffer)s minutes does not fit in between.",
            buffer=int(candidate["buffer"].total_seconds() // 60),
            **values,
        )

    # ------------------------------------------------------------------ capacity
    def _capacity_problems(self):
        """Assignments outside their employee's working hours or on their time off, with a message
        naming the person and the time. One calendar computation per calendar for the batch."""
        assignments = self.filtered(
            lambda a: (
                a.state != "cancelled"
                and a.employee_id
                and a.date_start
                and a.date_end
                and a.date_end > a.date_start
            )
        )
        if not assignments:
            return {}
        schedules = assignments.employee_id._service_availability(
            min(assignments.mapped("date_start")), max(assignments.mapped("date_end"))
        )
        problems = {}
        timelines = {}
        for assignment in assignments:
            employee = assignment.employee_id
            if employee.id not in timelines:
                schedule = schedules[employee.id]
                timelines[employee.id] = (spans.Timeline(schedule.leave), spans.Timeline(schedule.workday))
            leaves, workdays = timelines[employee.id]
            start, end = spans.seconds(assignment.date_start), spans.seconds(assignment.date_end)
            values = {
                "employee": employee.name,
                "start": _format_local(assignment.date_start, employee.tz),
                "end": _format_local(assignment.date_end, employee.tz),
            }
            if leaves.seconds(start, end):
                problems[assignment] = self.env._(
                    "%(employee)s is on time off or on a public holiday between %(start)s and %(end)s.",
                    **values,
                )
            elif workdays.seconds(start, end) < end - start - _EPSILON:
                problems[assignment] = self.env._(
                    "%(start)s to %(end)s is outside the working hours of %(employee)s.", **values
                )
        return problems

    @api.constrains("employee_id", "date_start", "date_end", "state")
    def _check_capacity(self):
        refusing = self.filtered(lambda a: a.company_id.service_capacity_policy == "block")
        problems = refusing._capacity_problems()
        if problems:
            raise ValidationError("\n".join(problems.values()))

    # ------------------------------------------------------------------ free slots and board
    @api.model
    def _service_bookings(self, employees, start, end, details=False):
        """Rows ``(employee_id, start, stop, planned_hours)`` of the active assignments of
        ``employees`` that overlap ``start`` to ``end``, by start; all times in seconds since the
        epoch. With ``details``, each row goes on with what the board shows of the job:
        ``(assignment id, state, order id, site city)`` (see ``_service_board_orders``)."""
        # Plain rows rather than records: the board only needs a few values per assignment, and
        # thousands of records would cost more than the rest of the computation. The range
        # overlap is the one the no-double-booking constraint indexes; whole seconds (the ORM
        # stores no fractions) as integers are the cheapest to transfer and parse.
        self.flush_model(["employee_id", "state", "date_start", "date_end", "planned_hours", "site_id"])
        columns = SQL()
        joins = SQL()
        if details:
            self.flush_model(["service_order_id"])
            self.env["res.partner"].flush_model(["city"])
            # The orders' details come apart (see _service_board_orders): joined here, the
            # orders table is scanned whole for a few thousand bookings, which costs more than
            # a second query on their ids.
            columns = SQL(", a.id, a.state, a.service_order_id, s.city")
            joins = SQL("LEFT JOIN res_partner s ON s.id = a.site_id")
        return self.env.execute_query(
            SQL(
                """
                SELECT a.employee_id, date_part('epoch', a.date_start)::int8,
                       date_part('epoch', a.date_end)::int8, COALESCE(a.planned_hours, 0) %s
                  FROM service_assignment a %s
                 WHERE a.employee_id IN (SELECT unnest(%s::int[])) AND a.state != 'cancelled'
                   AND tsrange(a.date_start, a.date_end) && tsrange(%s, %s)
              ORDER BY a.date_start
                """,
                columns,
                joins,
                employees.ids,
                spans.to_datetime(start),
                spans.to_datetime(end),
            )
        )

    @api.model
    def _service_board_orders(self, order_ids):
        """Per order id, ``(reference, overbooked, customer name)``, in one query."""
        if not order_ids:
            return {}
        Order = self.env["service.order"]
        Order.flush_model(["name", "partner_id", "is_overbooked"])
        self.env["res.partner"].flush_model(["complete_name"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT o.id, o.name, o.is_overbooked, p.complete_name
                  FROM service_order o
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.id = ANY(%s)
                """,
                list(order_ids),
            )
        )
        return {
            order_id: (name, bool(overbooked), customer or "")
            for order_id, name, overbooked, customer in rows
        }

    @api.model
    def _service_prepare_query(self, employee_ids):
        """The employees asked for, of the allowed companies: by default the field staff."""
        self.check_access("read")
        domain = [("company_id", "in", self.env.companies.ids)]
        if not self.env.user.has_group("service_order.group_service_dispatcher"):
            # Technicians only see their own availability, as they only see their own assignments.
            domain.append(("user_id", "=", self.env.uid))
        if employee_ids is not None:
            domain.append(("id", "in", self._service_check_ids(employee_ids)))
        else:
            domain.append(("service_field_staff", "=", True))
        return (
            self.env["hr.employee"]
            .sudo()
            .search_fetch(
                domain, ["name", "resource_id", "company_id", "current_version_id"], order="name, id"
            )
        )

    @api.model
    def _service_check_ids(self, employee_ids):
        """``employee_ids`` as a list, or a clear error: a list or tuple of database ids, so that a
        string is not read as its characters and nothing unexpected reaches the SQL."""
        if isinstance(employee_ids, (list, tuple)) and len(employee_ids) <= _MAX_EMPLOYEES:
            bad = next(
                (
                    value
                    for value in employee_ids
                    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31
                ),
                None,
            )
            if bad is None:
                return list(employee_ids)
            raise ValidationError(self.env._("“%s” is not an employee id.", repr(bad)))
        raise ValidationError(
            self.env._(
                "Employees must be given as a list of at most %(count)s employee ids, not “%(value)s”.",
                count=_MAX_EMPLOYEES,
                value=repr(employee_ids)[:100],
            )
        )

    @api.model
    def _service_parse(self, parse, value):
        """``parse(value)`` (fields.Date.to_date or fields.Datetime.to_datetime), or a clear
        error for a missing, malformed or out of range value sent to the public methods below."""
        try:
            parsed = parse(value)
        except (TypeError, ValueError, OverflowError):
            parsed = None
        if not parsed:
            raise ValidationError(self.env._("“%s” is not a valid date or time.", value))
        # The computation goes through every time zone, a day either side: dates near years 1 and
        # 9999 overflow in pytz and in timestamp arithmetic.
        if not _FIRST_DATE <= (parsed.date() if isinstance(parsed, datetime) else parsed) <= _LAST_DATE:
            raise ValidationError(
                self.env._(
                    "“%(value)s” is outside the dates the planning works with (%(low)s to %(high)s).",
                    value=value,
                    low=fields.Date.to_string(_FIRST_DATE),
                    high=fields.Date.to_string(_LAST_DATE),
                )
            )
        return parsed

    @api.model
    def get_free_slots(self, employee_ids, date_from, date_to, min_hours=0.0):
        """Free working time of employees: working hours minus time off, public holidays and
        active assignments.

        :param employee_ids: list of hr.employee ids
        :param date_from: start, a naive UTC datetime or a "YYYY-MM-DD HH:MM:SS" string
        :param date_to: end, same format
        :param min_hours: only return gaps at least this long (a number, 0 or more)
        :return: a list, sorted by employee then start, of dicts
            ``{"employee_id": int, "employee_name": str, "start": "YYYY-MM-DD HH:MM:SS" (UTC),
            "end": same, "hours": float}``

        On a flexible-hours schedule a slot is a window of bookable time of a working day (any
        time of the day), which may be longer than the hours the day has left.
        """
        if isinstance(min_hours, bool) or not isinstance(min_hours, (int, float)) or not 0 <= min_hours < 1e6:
            raise ValidationError(
                self.env._(
                    "The minimum length of a slot must be a number of hours, not “%s”.", repr(min_hours)
                )
            )
        start = spans.seconds(self._service_parse(fields.Datetime.to_datetime, date_from))
        end = spans.seconds(self._service_parse(fields.Datetime.to_datetime, date_to))
        if end <= start:
            raise ValidationError(self.env._("The end of the period must be after its start."))
        if end - start > _MAX_DAYS * 86400:
            raise ValidationError(self.env._("Ask for free slots over at most %s days.", _MAX_DAYS))
        # Unlike the board's, the list is required: None is refused, not read as everybody.
        employees = self._service_prepare_query(self._service_check_ids(employee_ids))
        booked = defaultdict(list)
        for employee_id, booking_start, booking_stop, _hours in self._service_bookings(employees, start, end):
            # Clipped: a booking only matters where it meets the period.
            booked[employee_id].append((max(booking_start, start), min(booking_stop, end)))
        schedules = employees._service_availability(start, end)
        slots = []
        for employee in employees:
            busy = spans.Timeline(spans.merged(booked[employee.id]))
            for slot_start, slot_end in busy.gaps(schedules[employee.id].work):
                hours = (slot_end - slot_start) / spans.HOUR
                if hours + _EPSILON >= min_hours and hours > _EPSILON:
                    slots.append(
                        {
                            "employee_id": employee.id,
                            "employee_name": employee.name,
                            "start": fields.Datetime.to_string(spans.to_datetime(slot_start)),
                            "end": fields.Datetime.to_string(spans.to_datetime(slot_end)),
                            "hours": round(hours, 4),
                        }
                    )
        return slots

    @api.model
    def get_capacity_board(self, date_from, date_to, employee_ids=None):
        """Capacity, booked and free hours per employee and day, days taken in each employee's
        time zone.

        :param date_from: first day, a date or "YYYY-MM-DD"
        :param date_to: last day (included), same format
        :param employee_ids: list of hr.employee ids; if None, the field staff
            (``service_field_staff``) of the allowed companies
        :return: a dict::

            {"days": ["YYYY-MM-DD", ...],
             "skills": [[id, name], ...] (the skills of the people shown, by name),
             "now": UTC "YYYY-MM-DD HH:MM:SS" (slots that end before it are past),
             "can_plan": bool (whether the user may book: dispatchers),
             "employees": [{
                 "id": int, "name": str, "tz": str, "department": [id, name] or False,
                 "job_title": str, "skill_ids": [the ids of their current skills],
                 "totals": {"capacity": float, "booked": float, "free": float},
                 "cells": [{
                     "date": "YYYY-MM-DD",
                     "capacity": float,   # working hours minus time off and public holidays
                     "booked": float,     # planned hours of the assignments, spread over their days
                     "free": float,       # working hours not covered by an assignment
                     "status": "off" | "free" | "partial" | "full" | "overbooked",
                     "slots": [{"start": UTC "YYYY-MM-DD HH:MM:SS", "end": same,
                                "label": "HH:MM-HH:MM" local, "hours": float,
                                "past": bool}],
                     "jobs": [{"id": assignment id, "order_id": int, "name": order reference,
                               "customer": str, "city": site city, "start": UTC, "end": UTC,
                               "hours": planned hours, "state": assignment state,
                               "overbooked": the order has more hours planned than sold,
                               "outside_hours": on time off or beyond the working days}],
                 }, ...]}, ...]}

        A job lasting several days is listed in each of its days' cells.

        Booked hours take each assignment's planned hours and spread them over its days in
        proportion to its working time in each day, so that the board adds up to the orders'
        planned hours. The cost depends on the days shown and the bookings in them, not on how
        long a booking is: each booking is clipped to the days shown and ``_SPREAD_MARGIN`` either
        side, which holds every assignment of the allowed length whole; of a longer (older) one,
        the part within the margin keeps its share of the planned hours by clock time. Equal
        cells and slots are the same dicts: treat the result as read-only.
        """
        first = self._service_parse(fields.Date.to_date, date_from)
        last = self._service_parse(fields.Date.to_date, date_to)
        if last < first:
            raise ValidationError(self.env._("The last day of the board cannot be before its first day."))
        if (last - first).days >= _MAX_DAYS:
            raise ValidationError(self.env._("The board shows at most %s days.", _MAX_DAYS))
        days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
        day_names = [fields.Date.to_string(day) for day in days]
        employees = self._service_prepare_query(employee_ids)
        employees.current_version_id.fetch(["job_title", "department_id"])
        employees.resource_id.fetch(["tz", "company_id"])
        zones = [employee.resource_id.tz or "UTC" for employee in employees]
        tzs = {zone: pytz.timezone(zone) for zone in set(zones)}
        windows_per_tz = {zone: spans.day_windows(tz, days) for zone, tz in tzs.items()}
        window_start = min((windows[0][0] for windows in windows_per_tz.values()), default=0.0)
        window_end = max((windows[-1][1] for windows in windows_per_tz.values()), default=0.0)
        margin = _SPREAD_MARGIN.total_seconds()
        low, high = window_start - margin, window_end + margin
        booked = defaultdict(list)
        start, end = window_start, window_end
        stamps = {}
        rows = self._service_bookings(employees, window_start, window_end, details=True)
        orders = self._service_board_orders({row[6] for row in rows})
        for row in rows:
            booking = _board_booking(row, orders, stamps, low, high)
            booked[row[0]].append(booking)
            start = min(start, booking[0])
            end = max(end, booking[1])
        # The schedules reach as far as the (clipped) bookings, so that their hours are spread
        # over their whole working time, not only over the days shown.
        schedules = employees._service_availability(start, end)
        now = spans.seconds(fields.Datetime.now())
        board = Board(day_names, windows_per_tz, tzs, now)
        departments = employees.current_version_id.department_id
        departments.fetch(["complete_name"])
        skills_of = self._service_employee_skills(employees, fields.Date.context_today(self))
        skills = self.env["hr.skill"].sudo().browse(set().union(*skills_of.values()))
        result = []
        for employee, zone in zip(employees, zones, strict=True):
            version = employee.current_version_id
            department = version.department_id
            result.append(
                {
                    "id": employee.id,
                    "name": employee.name,
                    "tz": zone,
                    "job_title": version.job_title or "",
                    "department": bool(department) and [department.id, department.complete_name],
                    "skill_ids": sorted(skills_of.get(employee.id, ())),
                    **board.row(schedules[employee.id], zone, booked.get(employee.id)),
                }
            )
        return {
            "days": day_names,
            "employees": result,
            "skills": sorted(([skill.id, skill.name] for skill in skills), key=lambda item: item[1]),
            "now": fields.Datetime.to_string(spans.to_datetime(now)),
            "can_plan": self.env.user.has_group("service_order.group_service_dispatcher"),
        }

    # ------------------------------------------------------------------ actions
    def _check_dispatcher(self):
        if not self.env.user.has_group("service_order.group_service_dispatcher"):
            raise AccessError(self.env._("Only dispatchers and service managers can plan assignments."))

    def action_confirm(self):
        self._check_dispatcher()
        return self.filtered(lambda a: a.state == "planned").write({"state": "confirmed"})

    def action_cancel(self):
        self._check_dispatcher()
        return self.filtered(lambda a: a.state in ("planned", "confirmed")).write({"state": "cancelled"})

    def action_reset(self):
        self._check_dispatcher()
        return self.filtered(lambda a: a.state == "cancelled").write({"state": "planned"})

    def action_done(self):
        return self.filtered(lambda a: a.state == "confirmed").write({"state": "done"})

    # ------------------------------------------------------------------ board actions
    @api.model
    def _check_relation_ids(self, vals):
        """The order, person and site of a booking are read with SQL before the ORM sees them:
        a forged value gets a clear error, not a database one."""
        for name in ("service_order_id", "employee_id", "site_id"):
            if vals.get(name):
                self._board_id(vals[name], self._fields[name]._description_string(self.env))

    @api.model
    def _board_id(self, value, what):
        """``value`` as a database id, or a clear error naming it."""
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
            raise ValidationError(
                self.env._("“%(value)s” is not a valid %(what)s.", value=repr(value)[:100], what=what)
            )
        return value

    @api.model
    def _board_employee(self, employee_id):
        employee = self._service_prepare_query([self._board_id(employee_id, self.env._("employee id"))])
        if not employee:
            self._board_missing("hr.employee", [employee_id])
        return employee

    @api.model
    def _board_missing(self, model, ids):
        """Refuse ``ids`` of ``model`` (employees or service orders) that the dispatcher cannot
        plan. Those of a company the user may work in but has not selected are named with their
        company, so that they know to select it; the others are not found (whatever exists in
        companies the user has no access to stays unnamed)."""
        records = self.env[model].sudo().browse(ids).exists()
        unselected = records.filtered(
            lambda r: r.company_id in self.env.user.company_ids and r.company_id not in self.env.companies
        )
        if unselected:
            raise ValidationError(
                self.env._(
                    "%(records)s: in %(companies)s, which is not selected. Select it in the company "
                    "switcher to plan there.",
                    records=", ".join(unselected.mapped("display_name")),
                    companies=", ".join(unselected.company_id.mapped("name")),
                )
            )
        listed = ", ".join(map(str, sorted(ids)))
        if model == "hr.employee":
            raise ValidationError(self.env._("There is no employee %s to plan.", listed))
        raise ValidationError(self.env._("There is no service order %s to plan.", listed))

    @api.model
    def _board_start(self, value):
        """The start of a booking made on the board: a valid time, not in the past."""
        start = self._service_parse(fields.Datetime.to_datetime, value)
        if start < fields.Datetime.now().replace(second=0, microsecond=0):
            raise ValidationError(
                self.env._("%s is in the past: only the time to come can be booked.", value)
            )
        return start

    @api.model
    def _board_fit(self, employee, start, hours, exclude=None):
        """``(end, hours)`` of a job of ``hours`` working hours that ``employee`` starts at
        ``start``: cut at the end of their working day and, when a booking follows the same day,
        at its start (less the travel buffer). Refused when ``start`` is not working time."""
        begin = spans.seconds(start)
        schedule = employee._service_availability(begin - 86400, begin + 2 * 86400)[employee.id]
        domain = [
            ("employee_id", "=", employee.id),
            ("state", "!=", "cancelled"),
            ("date_end", ">", start),
            ("date_start", "<", spans.to_datetime(begin + 2 * 86400)),
        ]
        if exclude:
            domain.append(("id", "!=", exclude.id))
        buffer = employee.sudo().company_id.service_travel_buffer * 60
        following = self.sudo().search_fetch(domain, ["date_start", "date_end"], order="date_start")
        busy = spans.merged(
            (spans.seconds(a.date_start) - buffer, spans.seconds(a.date_end) + buffer) for a in following
        )
        placed = autoplan.fit(schedule.work, schedule.workday, busy, begin, hours * spans.HOUR)
        if not placed:
            raise ValidationError(
                self.env._(
                    "%(employee)s has no free working time left at %(start)s.",
                    employee=employee.name,
                    start=_format_local(start, employee.tz),
                )
            )
        end, worked = placed
        return spans.to_datetime(round(end)), _rounded_hours(worked)

    @api.model
    def action_board_book(self, order_id, employee_id, start):
        """Book the hours of ``order_id`` still to plan for ``employee_id`` from ``start`` (UTC
        "YYYY-MM-DD HH:MM:SS"), as the board does when an order is dropped on a free gap: a
        confirmed assignment, cut at the end of the working time. Returns its id."""
        self._check_dispatcher()
        order = self.env["service.order"].search(
            [("id", "=", self._board_id(order_id, self.env._("service order id")))]
        )
        if not order:
            self._board_missing("service.order", [order_id])
        employee = self._board_employee(employee_id)
        start = self._board_start(start)
        if order.unplanned_hours <= _EPSILON:
            raise ValidationError(self.env._("%s has no hours left to plan.", order.name))
        end, _hours = self._board_fit(employee, start, order.unplanned_hours)
        assignment = self.create(
            {
                "service_order_id": order.id,
                "employee_id": employee.id,
                "date_start": start,
                "date_end": end,
                "state": "confirmed",
            }
        )
        return assignment.id

    @api.model
    def _board_ids(self, values, what, limit=_MAX_EMPLOYEES):
        """``values`` as a list of database ids, or a clear error naming the bad value."""
        if not isinstance(values, (list, tuple)) or len(values) > limit:
            raise ValidationError(
                self.env._(
                    "%(what)s must be given as a list of at most %(count)s ids, not “%(value)s”.",
                    what=what,
                    count=limit,
                    value=repr(values)[:100],
                )
            )
        return [self._board_id(value, self.env._("id")) for value in values]

    @api.model
    def get_auto_plan(self, order_ids, date_from, date_to, employee_ids=None):
        """A proposal, nothing written, that books each of ``order_ids`` (the hours it still has
        to plan) between the days ``date_from`` and ``date_to`` ("YYYY-MM-DD", the last one
        included): within the customer's window when the order has one
        (``service.order._service_planning_windows``), otherwise at the first free time, never
        before now. Orders go in the order of ``service.order._service_planning_order``; each
        goes to the first day with free time, to the person (of its company, among
        ``employee_ids``, by default the field staff) with the most free time that day, from
        their first free moment until its hours are booked or their working day ends. Working
        hours, time off, existing bookings and the travel buffer (kept around every booking, a
        safe margin whatever the sites) are respected, and each order only goes to people who
        have all its required skills (``skill_ids``) until the end of the period.

        :return: ``{"proposals": [{"order_id", "order_name", "customer", "employee_id",
            "employee_name", "start", "end" (UTC "YYYY-MM-DD HH:MM:SS"), "hours"}],
            "unplaced": [{"order_id", "order_name", "reason"}]}``

        One computation over the availability engine for everybody: the queries do not depend
        on the number of orders or people."""
        self._check_dispatcher()
        ids = self._board_ids(order_ids, self.env._("Service orders"))
        first = self._service_parse(fields.Date.to_date, date_from)
        last = self._service_parse(fields.Date.to_date, date_to)
        if last < first:
            raise ValidationError(self.env._("The last day of the period cannot be before its first day."))
        if (last - first).days >= _MAX_DAYS:
            raise ValidationError(self.env._("Auto-plan looks at most %s days ahead.", _MAX_DAYS))
        Order = self.env["service.order"]
        orders = Order.search_fetch(
            [("id", "in", ids), ("state", "not in", ("done", "cancelled"))],
            ["name", "partner_id", "company_id", "unplanned_hours", "skill_ids"],
            order=Order._service_planning_order(),
        )
        employees = self._service_prepare_query(employee_ids)
        days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
        planners, staff, period = self._auto_plan_planners(employees, days)
        # The skills are needed until the end of the period: a certificate that expires in the
        # middle of it does not count.
        skills_of = self._service_employee_skills(employees, last, orders.skill_ids)
        qualified = {}
        windows = orders._service_planning_windows()
        names = {employee.id: employee.name for employee in employees}
        proposals, unplaced = [], []
        for order in orders:
            window = windows.get(order.id)
            region = period
            if window:
                region = (max(period[0], spans.seconds(window[0])), min(period[1], spans.seconds(window[1])))
            placed = None
            company_id = order.company_id.id
            planner = planners.get(company_id)
            # Orders needing the same skills share their list of the people who have them all.
            key = (company_id, frozenset(order.skill_ids.ids))
            if key not in qualified:
                qualified[key] = [person for person in staff[company_id] if key[1] <= skills_of[person]]
            people = qualified[key]
            if planner and people and order.unplanned_hours > _EPSILON:
                placed = planner.place(order.unplanned_hours * spans.HOUR, region, people)
            if not placed:
                reason = (
                    planner
                    and not people
                    and order.unplanned_hours > _EPSILON
                    and self._auto_plan_skills_reason(order.skill_ids, staff[company_id], skills_of)
                ) or self._auto_plan_reason(order, planner, window, (first, last, period))
                unplaced.append({"order_id": order.id, "order_name": order.name, "reason": reason})
                continue
            person, booking_start, booking_stop, worked = placed
            proposals.append(
                {
                    "order_id": order.id,
                    "order_name": order.name,
                    "customer": order.partner_id.display_name,
                    "employee_id": person,
                    "employee_name": names[person],
                    "start": fields.Datetime.to_string(spans.to_datetime(round(booking_start))),
                    "end": fields.Datetime.to_string(spans.to_datetime(round(booking_stop))),
                    "hours": round(worked / spans.HOUR, 2),
                }
            )
        found = set(orders.ids)
        unplaced += [
            {
                "order_id": order_id,
                "order_name": "",
                "reason": self.env._("Not found, done or cancelled."),
            }
            for order_id in ids
            if order_id not in found
        ]
        return {"proposals": proposals, "unplaced": unplaced}

    @api.model
    def _auto_plan_planners(self, employees, days):
        """Per company id, an ``autoplan.Planner`` over its ``employees`` and ``days``; per
        company id, the ids of its employees; and the ``(start, end)`` of the whole period."""
        zones = {employee.id: employee.resource_id.tz or "UTC" for employee in employees}
        windows_per_tz = {zone: spans.day_windows(pytz.timezone(zone), days) for zone in set(zones.values())}
        start = min((w[0][0] for w in windows_per_tz.values()), default=0.0)
        end = max((w[-1][1] for w in windows_per_tz.values()), default=0.0)
        schedules = employees._service_availability(start, end) if employees else {}
        # The travel buffer is kept around every booking: the sites of the next orders are not
        # known when their time is reserved, so the margin is the safe one.
        buffers = {employee.id: employee.company_id.service_travel_buffer * 60 for employee in employees}
        busy = defaultdict(list)
        for employee_id, booking_start, booking_stop, _hours in self._service_bookings(employees, start, end):
            buffer = buffers[employee_id]
            busy[employee_id].append((booking_start - buffer, booking_stop + buffer))
        staff = defaultdict(list)
        for employee in employees:
            staff[employee.company_id.id].append(employee.id)
        now = spans.seconds(fields.Datetime.now())
        planners = {
            company_id: autoplan.Planner(
                {
                    person: (
                        schedules[person].work,
                        schedules[person].workday,
                        busy[person],
                        windows_per_tz[zones[person]],
                    )
                    for person in people
                },
                buffers[people[0]],
                now,
            )
            for company_id, people in staff.items()
        }
        return planners, staff, (start, end)

    @api.model
    def _service_employee_skills(self, employees, day, skills=None):
        """Per employee id (a defaultdict), the set of the ids of the skills (of ``skills`` when
        given) that ``employees`` have on ``day`` and after, as hr_skills counts current skills:
        not expired (``valid_to`` empty or not before ``day``), of an active skill type. One
        query for everybody."""
        result = defaultdict(set)
        if not employees or (skills is not None and not skills):
            return result
        domain = [
            ("employee_id", "in", employees.ids),
            ("skill_type_id.active", "=", True),
            "|",
            ("valid_to", "=", False),
            ("valid_to", ">=", day),
        ]
        if skills is not None:
            domain.append(("skill_id", "in", skills.ids))
        for employee_skill in (
            self.env["hr.employee.skill"].sudo().search_fetch(domain, ["employee_id", "skill_id"])
        ):
            result[employee_skill.employee_id.id].add(employee_skill.skill_id.id)
        return result

    def _auto_plan_skills_reason(self, skills, people, skills_of):
        """Why none of ``people`` may do an order that needs ``skills``."""
        held = set().union(*(skills_of[person] for person in people))
        missing = skills.filtered(lambda skill: skill.id not in held)
        if missing:
            return self.env._(
                "No one on the board has the skill %s.", ", ".join(missing.sudo().mapped("name"))
            )
        return self.env._(
            "No one on the board has all the required skills: %s.", ", ".join(skills.sudo().mapped("name"))
        )

    def _auto_plan_reason(self, order, planner, window, asked):
        """Why auto-plan could not place ``order``; ``asked`` is the first and last day asked
        for and their span in seconds since the epoch."""
        first, last, period = asked
        days = {"first": fields.Date.to_string(first), "last": fields.Date.to_string(last)}
        if order.unplanned_hours <= _EPSILON:
            return self.env._("Nothing left to plan: all its sold hours are planned.")
        if planner is None:
            return self.env._("Nobody of %s is on the board to do it.", order.company_id.name)
        if window:
            shown = {"start": f"{window[0]:%Y-%m-%d %H:%M}", "end": f"{window[1]:%Y-%m-%d %H:%M}", **days}
            start, end = spans.seconds(window[0]), spans.seconds(window[1])
            if end <= period[0] or start >= period[1]:
                return self.env._(
                    "The customer's window, %(start)s to %(end)s (UTC), is outside the days asked for, "
                    "%(first)s to %(last)s.",
                    **shown,
                )
            if start < period[0] or end > period[1]:
                return self.env._(
                    "Nobody has free working time in the part of the customer's window, %(start)s to "
                    "%(end)s (UTC), within the days asked for, %(first)s to %(last)s.",
                    **shown,
                )
            return self.env._(
                "Nobody has free working time in the customer's window, %(start)s to %(end)s (UTC).", **shown
            )
        return self.env._("Nobody has free working time from %(first)s to %(last)s.", **days)

    @api.model
    def action_auto_plan_accept(self, proposals):
        """Book the accepted part of an auto-plan proposal (``[{"order_id", "employee_id",
        "start", "end"}]``) as confirmed assignments, all or nothing: they go through the checks
        of any booking in one create. Returns the ids of the assignments."""
        self._check_dispatcher()
        if not isinstance(proposals, (list, tuple)) or not 0 < len(proposals) <= 1000:
            raise ValidationError(
                self.env._("Accept a list of 1 to 1000 proposals, not “%s”.", repr(proposals)[:100])
            )
        vals_list = []
        for proposal in proposals:
            if not isinstance(proposal, dict) or not {"order_id", "employee_id", "start", "end"} <= set(
                proposal
            ):
                raise ValidationError(self.env._("“%s” is not a proposal.", repr(proposal)[:100]))
            vals_list.append(
                {
                    "service_order_id": self._board_id(proposal["order_id"], self.env._("service order id")),
                    "employee_id": self._board_id(proposal["employee_id"], self.env._("employee id")),
                    "date_start": self._board_start(proposal["start"]),
                    "date_end": self._service_parse(fields.Datetime.to_datetime, proposal["end"]),
                    "state": "confirmed",
                }
            )
        # What the dispatcher may plan: orders they can read, people of their companies.
        employee_ids = {vals["employee_id"] for vals in vals_list}
        order_ids = {vals["service_order_id"] for vals in vals_list}
        missing = employee_ids - set(self._service_prepare_query(list(employee_ids)).ids)
        if missing:
            self._board_missing("hr.employee", list(missing))
        missing = order_ids - set(self.env["service.order"].search([("id", "in", list(order_ids))]).ids)
        if missing:
            self._board_missing("service.order", list(missing))
        return self.create(vals_list).ids

    def action_board_move(self, employee_id, start):
        """Move this assignment to ``employee_id`` from ``start``, keeping its planned hours, as
        the board does when a job is dragged; refused when they no longer fit in the working
        day (or by the checks of any booking)."""
        self._check_dispatcher()
        if len(self) != 1:
            raise UserError(self.env._("Move one job at a time, not %s.", len(self) or self.env._("none")))
        if self.state not in OPEN_STATES:
            raise ValidationError(
                self.env._("%s is done or cancelled: it cannot be moved.", self.display_name)
            )
        employee = self._board_employee(employee_id)
        start = self._board_start(start)
        if self.planned_hours <= _EPSILON:
            # A job of no working time (a visit kept off the hours): nothing to fit in working
            # time. It keeps its length and its hours; the checks of any booking still apply.
            self.write(
                {
                    "employee_id": employee.id,
                    "date_start": start,
                    "date_end": start + (self.date_end - self.date_start),
                    "planned_hours": 0.0,
                }
            )
            return True
        end, hours = self._board_fit(employee, start, self.planned_hours, exclude=self)
        if hours + _EPSILON < self.planned_hours:
            raise ValidationError(
                self.env._(
                    "%(hours)s of work do not fit in the working time of %(employee)s from %(start)s.",
                    hours=_float_time(self.planned_hours),
                    employee=employee.name,
                    start=_format_local(start, employee.tz),
                )
            )
        self.write({"employee_id": employee.id, "date_start": start, "date_end": end})
        return True


def _board_booking(row, orders, stamps, low, high):
    """``(start, stop, hours, job)`` of a detailed row of ``_service_bookings`` as the board's rows
    take it, with ``orders`` from ``_service_board_orders``: one job dict per booking, shared by
    the cells of its days, each distinct time formatted once (``stamps``). A booking beyond
    ``low`` to ``high`` is clipped to them."""
    _employee_id, start, stop, hours, assignment_id, state, order_id, city = row
    name, overbooked, customer = orders[order_id]
    job = {
        "id": assignment_id,
        "order_id": order_id,
        "name": name,
        "customer": customer,
        "city": city or "",
        "start": stamps.get(start) or _stamp(stamps, start),
        "end": stamps.get(stop) or _stamp(stamps, stop),
        "hours": round(hours, 2),
        "state": state,
        "overbooked": overbooked,
        # Set by the board's row, from the employee's working days and time off.
        "outside_hours": False,
    }
    if start < low or stop > high:
        # Longer than any allowed assignment: its hours are taken as spread evenly over its
        # clock time, and only the part within the margin is followed. Longer than any working
        # day too, whatever the schedule.
        clipped_start, clipped_stop = max(start, low), min(stop, high)
        job["outside_hours"] = True
        return clipped_start, clipped_stop, hours * (clipped_stop - clipped_start) / (stop - start), job
    return start, stop, hours, job


def _stamp(stamps, value):
    """The UTC "YYYY-MM-DD HH:MM:SS" of ``value`` (seconds since the epoch), kept in ``stamps``."""
    text = stamps[value] = fields.Datetime.to_string(spans.to_datetime(value))
    return text


def _too_close(first, second):
    """Whether two bookings of one employee, ``first`` starting no later than ``second``, overlap
    or leave less than the travel buffer between different sites."""
    if second["start"] < first["end"]:
        return True
    different_sites = first["site_id"] and second["site_id"] and first["site_id"] != second["site_id"]
    return bool(different_sites and second["start"] < first["end"] + first["buffer"])
