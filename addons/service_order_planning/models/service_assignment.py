import bisect
import re
from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import NamedTuple

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.intervals import Intervals

ACTIVE_STATES = ("planned", "confirmed", "done")
_EPSILON = 1e-6
# The detail PostgreSQL gives for an exclusion violation ends with the existing conflicting key:
# ``... conflicts with existing key (employee_id, tsrange(...))=(12, ["2026-11-30 09:00:00","..."))``
_EXCLUSION_KEY = re.compile(r'existing key \([^)]*\)\)=\((\d+), [\[(]"?([^",]+)"?,"?([^")\]]+)"?')


def _utc(value):
    """An aware UTC datetime from a naive UTC datetime (as the ORM stores it) or a string."""
    return pytz.utc.localize(fields.Datetime.to_datetime(value))


def _naive_utc(value):
    """A naive UTC datetime from an aware one; naive ones are taken as UTC already."""
    return value.astimezone(pytz.utc).replace(tzinfo=None) if value.tzinfo else value


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
        for assignment in self:
            assignment.site_id = assignment.service_order_id.site_id

    @api.depends("employee_id", "date_start", "date_end")
    def _compute_planned_hours(self):
        valid = self.filtered(
            lambda a: a.employee_id and a.date_start and a.date_end and a.date_end > a.date_start
        )
        (self - valid).planned_hours = 0.0
        if not valid:
            return
        availability = self._service_availability(
            valid.employee_id, _utc(min(valid.mapped("date_start"))), _utc(max(valid.mapped("date_end")))
        )
        timelines = {}
        for assignment in valid:
            employee_id = assignment.employee_id.id
            if employee_id not in timelines:
                timelines[employee_id] = _Timeline(availability[employee_id]["work"])
            start, end = assignment.date_start, assignment.date_end
            worked = timelines[employee_id].hours(start, end)
            # Outside working hours the whole span counts: somebody is still booked for it.
            assignment.planned_hours = worked or (end - start).total_seconds() / 3600.0

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
                        "%(order)s is overbooked: %(planned).2f hours planned for %(sold).2f sold.",
                        order=order.name,
                        planned=planned,
                        sold=order.sold_hours,
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
        orders = self.env["service.order"].browse(
            {vals["service_order_id"] for vals in vals_list if vals.get("service_order_id")}
        )
        candidates = []
        # Records taken from the recordset keep its prefetching: one query for all orders.
        order_by_id = {order.id: order for order in orders}
        for vals in vals_list:
            order = order_by_id.get(vals.get("service_order_id")) or orders.browse()
            if vals.get("state", "planned") == "cancelled":
                continue
            candidates.append(
                {
                    "id": None,
                    "order": order,
                    "employee_id": vals.get("employee_id"),
                    "date_start": vals.get("date_start"),
                    "date_end": vals.get("date_end"),
                    "site_id": vals.get("site_id", order.site_id.id),
                }
            )
        self._check_bookings(candidates)
        # The order's chatter and the assignment's tracking tell the story; a "created" note and
        # a follower per assignment would only weigh on bulk planning.
        assignments = super(
            ServiceAssignment, self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        ).create(vals_list)
        assignments = assignments.with_env(self.env)
        assignments.filtered(lambda a: a.state == "confirmed")._schedule_draft_orders()
        return assignments

    def write(self, vals):
        booking_fields = {"employee_id", "date_start", "date_end", "site_id", "state", "service_order_id"}
        if booking_fields & vals.keys() and vals.get("state") != "cancelled":
            new_order = self.env["service.order"].browse(vals.get("service_order_id"))
            candidates = []
            for assignment in self:
                if vals.get("state", assignment.state) == "cancelled":
                    continue
                order = new_order if "service_order_id" in vals else assignment.service_order_id
                if "site_id" in vals:
                    site_id = vals["site_id"]
                elif "service_order_id" in vals:
                    site_id = order.site_id.id
                else:
                    site_id = assignment.site_id.id
                candidates.append(
                    {
                        "id": assignment.id,
                        "order": order,
                        "employee_id": vals.get("employee_id", assignment.employee_id.id),
                        "date_start": vals.get("date_start", assignment.date_start),
                        "date_end": vals.get("date_end", assignment.date_end),
                        "site_id": site_id,
                    }
                )
            self._check_bookings(candidates)
        result = super().write(vals)
        if vals.get("state") == "confirmed" or (
            "service_order_id" in vals and any(a.state == "confirmed" for a in self)
        ):
            self.filtered(lambda a: a.state == "confirmed")._schedule_draft_orders()
        return result

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

    def _schedule_draft_orders(self):
        """The first confirmed assignment of a draft order schedules the order."""
        drafts = self.service_order_id.filtered(lambda o: o.state == "draft")
        if drafts:
            drafts.sudo()._set_state("scheduled")

    # ------------------------------------------------------------------ booking checks
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
            if not order or not employee or not start or not end:
                # Required fields: the ORM names the missing one.
                continue
            if end < start:
                errors.append(
                    self.env._(
                        "%(order)s: the assignment of %(employee)s ends (%(end)s) "
                        "before it starts (%(start)s).",
                        order=order.name,
                        employee=employee.name,
                        start=_format_local(start, employee.tz),
                        end=_format_local(end, employee.tz),
                    )
                )
                continue
            if end == start:
                errors.append(
                    self.env._(
                        "%(order)s: the assignment of %(employee)s at %(start)s has no duration.",
                        order=order.name,
                        employee=employee.name,
                        start=_format_local(start, employee.tz),
                    )
                )
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
            errors = self._booking_conflicts(checked)
        if errors:
            raise ValidationError("\n".join(errors))

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
        existing = self.sudo().browse({assignment_id for _position, assignment_id in found})
        pairs = [
            (
                candidates[position],
                {
                    "order": other.service_order_id,
                    "start": other.date_start,
                    "end": other.date_end,
                    "site_id": other.site_id.id,
                },
            )
            for position, assignment_id in found
            for other in existing.browse(assignment_id)
        ]
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
        availability = self._service_availability(
            assignments.employee_id,
            _utc(min(assignments.mapped("date_start"))),
            _utc(max(assignments.mapped("date_end"))),
            workdays=True,
        )
        problems = {}
        timelines = {}
        for assignment in assignments:
            employee = assignment.employee_id
            if employee.id not in timelines:
                data = availability[employee.id]
                timelines[employee.id] = (_Timeline(data["leave"]), _Timeline(data["workday"]))
            leaves, workdays = timelines[employee.id]
            start, end = assignment.date_start, assignment.date_end
            values = {
                "employee": employee.name,
                "start": _format_local(assignment.date_start, employee.tz),
                "end": _format_local(assignment.date_end, employee.tz),
            }
            if leaves.hours(start, end):
                problems[assignment] = self.env._(
                    "%(employee)s is on time off or on a public holiday between %(start)s and %(end)s.",
                    **values,
                )
            elif workdays.hours(start, end) < (end - start).total_seconds() / 3600.0 - _EPSILON:
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

    @api.model
    def _service_availability(self, employees, start, end, workdays=False):
        """Per employee id: ``work`` (working time minus time off and public holidays), ``leave``
        (time off and public holidays) and, if ``workdays``, ``workday`` (from the first to the
        last attendance of each working day, breaks included, minus leaves), as Intervals of aware
        datetimes between ``start`` and ``end`` (aware). One attendance and one leave query per
        calendar."""
        employees = employees.sudo()
        by_calendar = defaultdict(self.env["hr.employee"].sudo().browse)
        for employee in employees:
            by_calendar[employee.resource_calendar_id or employee.company_id.resource_calendar_id] |= employee
        empty = Intervals()
        result = {}
        for calendar, members in by_calendar.items():
            if not calendar:
                result.update(
                    {member.id: {"work": empty, "leave": empty, "workday": empty} for member in members}
                )
                continue
            attendances = calendar._attendance_intervals_batch(start, end, members.resource_id)
            leaves = calendar._leave_intervals_batch(start, end, members.resource_id)
            for employee in members:
                attendance = Intervals(attendances[employee.resource_id.id])
                leave = leaves[employee.resource_id.id]
                result[employee.id] = {"work": attendance - leave, "leave": leave}
                if workdays:
                    result[employee.id]["workday"] = _workdays(attendance) - leave
        return result

    # ------------------------------------------------------------------ free slots and board
    @api.model
    def _service_load(self, employees, start, end):
        """Availability of ``employees`` and their active assignments (``_Booking`` tuples, by
        employee id) between aware ``start`` and ``end``: one assignment query, calendars widened
        to cover whole assignments."""
        rows = self._service_bookings(employees, start, end)
        widened_start = min([start, *(pytz.utc.localize(row[1]) for row in rows)])
        widened_end = max([end, *(pytz.utc.localize(row[2]) for row in rows)])
        availability = self._service_availability(employees, widened_start, widened_end)
        booked = defaultdict(list)
        for employee_id, date_start, date_end, planned_hours in rows:
            booked[employee_id].append(_Booking(date_start, date_end, planned_hours))
        return availability, booked

    @api.model
    def _service_bookings(self, employees, start, end, epoch=False):
        """Rows ``(employee_id, date_start, date_end, planned_hours)`` of the active assignments
        of ``employees`` that overlap aware ``start`` to ``end``, by start; with ``epoch``, the
        dates come as seconds since the epoch (UTC)."""
        # Plain rows rather than records: the board only needs four values per assignment, and
        # thousands of records would cost more than the rest of the computation.
        self.flush_model(["employee_id", "state", "date_start", "date_end", "planned_hours"])
        if epoch:
            dates = SQL("EXTRACT(EPOCH FROM date_start)::float8, EXTRACT(EPOCH FROM date_end)::float8")
        else:
            dates = SQL("date_start, date_end")
        return self.env.execute_query(
            SQL(
                """
                SELECT employee_id, %s, COALESCE(planned_hours, 0)
                  FROM service_assignment
                 WHERE employee_id = ANY(%s) AND state != 'cancelled'
                   AND date_start < %s AND date_end > %s
              ORDER BY date_start
                """,
                dates,
                employees.ids,
                _naive_utc(end),
                _naive_utc(start),
            )
        )

    @api.model
    def _service_prepare_query(self, employee_ids):
        self.check_access("read")
        domain = [("company_id", "in", self.env.companies.ids)]
        if not self.env.user.has_group("service_order.group_service_dispatcher"):
            # Technicians only see their own availability, as they only see their own assignments.
            domain.append(("user_id", "=", self.env.uid))
        if employee_ids is not None:
            domain.append(("id", "in", list(employee_ids)))
        return self.env["hr.employee"].sudo().search(domain, order="name, id")

    @api.model
    def get_free_slots(self, employee_ids, date_from, date_to, min_hours=0.0):
        """Free working time of employees: working hours minus time off, public holidays and
        active assignments.

        :param employee_ids: list of hr.employee ids
        :param date_from: start, a naive UTC datetime or a "YYYY-MM-DD HH:MM:SS" string
        :param date_to: end, same format
        :param min_hours: only return gaps at least this long
        :return: a list, sorted by employee then start, of dicts
            ``{"employee_id": int, "employee_name": str, "start": "YYYY-MM-DD HH:MM:SS" (UTC),
            "end": same, "hours": float}``
        """
        start, end = _utc(date_from), _utc(date_to)
        if end <= start:
            raise ValidationError(self.env._("The end of the period must be after its start."))
        employees = self._service_prepare_query(employee_ids)
        availability, booked = self._service_load(employees, start, end)
        window_start, window_end = _naive_utc(start), _naive_utc(end)
        slots = []
        for employee in employees:
            work = _Timeline(availability[employee.id]["work"])
            busy = _Timeline(_booking_spans(booked[employee.id]))
            for slot_start, slot_end in busy.gaps(work.clip(window_start, window_end)):
                hours = (slot_end - slot_start).total_seconds() / 3600.0
                if hours + _EPSILON >= min_hours and hours > _EPSILON:
                    slots.append(
                        {
                            "employee_id": employee.id,
                            "employee_name": employee.name,
                            "start": fields.Datetime.to_string(slot_start),
                            "end": fields.Datetime.to_string(slot_end),
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
        :param employee_ids: hr.employee ids; all employees of the allowed companies if None
        :return: a dict::

            {"days": ["YYYY-MM-DD", ...],
             "employees": [{
                 "id": int, "name": str, "tz": str, "department": [id, name] or False,
                 "job_title": str,
                 "totals": {"capacity": float, "booked": float, "free": float},
                 "cells": [{
                     "date": "YYYY-MM-DD",
                     "capacity": float,   # working hours minus time off and public holidays
                     "booked": float,     # planned hours of the assignments, spread over their days
                     "free": float,       # working hours not covered by an assignment
                     "status": "off" | "free" | "partial" | "full" | "overbooked",
                     "slots": [{"start": UTC "YYYY-MM-DD HH:MM:SS", "end": same,
                                "label": "HH:MM-HH:MM" local, "hours": float}],
                 }, ...]}, ...]}

        Booked hours take each assignment's planned hours and spread them over its days in
        proportion to its working time in each day, so that the board adds up to the orders'
        planned hours. Employees with the same schedule, time off and bookings of a day share that
        day's cell (the same dict): treat the result as read-only.
        """
        first = fields.Date.to_date(date_from)
        last = fields.Date.to_date(date_to)
        if last < first:
            raise ValidationError(self.env._("The last day of the board cannot be before its first day."))
        days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
        day_names = [fields.Date.to_string(day) for day in days]
        employees = self._service_prepare_query(employee_ids)
        # The whole computation runs on seconds since the epoch (UTC): comparing and subtracting
        # floats is many times cheaper than aware datetimes, and a board has thousands of cells.
        zones = [zone or "UTC" for zone in employees.mapped("tz")]
        tzs = {zone: pytz.timezone(zone) for zone in set(zones)}
        windows_per_tz = {zone: _day_windows(tz, days) for zone, tz in tzs.items()}
        window_start = min((windows[0][0] for windows in windows_per_tz.values()), default=0.0)
        window_end = max((windows[-1][1] for windows in windows_per_tz.values()), default=0.0)
        rows = self._service_bookings(
            employees, _from_seconds(window_start), _from_seconds(window_end), epoch=True
        )
        booked = defaultdict(list)
        for employee_id, date_start, date_end, planned_hours in rows:
            booked[employee_id].append((date_start, date_end, planned_hours))
        # Calendars widened to whole assignments, so that their hours are spread correctly.
        start = min([window_start, *(booking[0] for bookings in booked.values() for booking in bookings)])
        end = max([window_end, *(booking[1] for bookings in booked.values() for booking in bookings)])
        work_spans = self._service_work_seconds(employees, _from_seconds(start), _from_seconds(end))
        board = _Board(day_names, windows_per_tz, tzs)
        result = []
        for employee, zone in zip(employees, zones, strict=True):
            department = employee.department_id
            result.append(
                {
                    "id": employee.id,
                    "name": employee.name,
                    "tz": zone,
                    "job_title": employee.job_title or "",
                    "department": bool(department) and [department.id, department.display_name],
                    **board.row(work_spans[employee.id], zone, booked.get(employee.id)),
                }
            )
        return {"days": day_names, "employees": result}

    @api.model
    def _service_work_seconds(self, employees, start, end):
        """Per employee id, the working time (time off and public holidays excluded) between
        aware ``start`` and ``end`` as a tuple of sorted, disjoint ``(start, stop)`` spans in
        seconds since the epoch. Employees with the same schedule and the same time off share
        one tuple (the board relies on it to compute each distinct day once)."""
        employees = employees.sudo()
        by_calendar = defaultdict(list)
        for employee in employees:
            calendar = employee.resource_calendar_id or employee.company_id.resource_calendar_id
            by_calendar[calendar].append((employee.id, employee.resource_id.id))
        converted = {}
        shared = {}
        result = {}
        for calendar, members in by_calendar.items():
            if not calendar:
                result.update({employee_id: () for employee_id, _resource_id in members})
                continue
            resources = self.env["resource.resource"].browse([resource for _employee, resource in members])
            attendances = calendar._attendance_intervals_batch(start, end, resources)
            leaves = calendar._leave_intervals_batch(start, end, resources)
            for employee_id, resource_id in members:
                # The calendar hands the same attendance Intervals to every resource of a zone.
                attendance = attendances[resource_id]
                if id(attendance) not in converted:
                    converted[id(attendance)] = (attendance, _merged(_interval_seconds(attendance)))
                attendance_spans = converted[id(attendance)][1]
                leave_spans = _merged(_interval_seconds(leaves[resource_id]))
                key = (id(attendance), leave_spans)
                if key not in shared:
                    shared[key] = _subtract(attendance_spans, leave_spans)
                result[employee_id] = shared[key]
        return result

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


class _Timeline:
    """Sorted, disjoint spans of naive UTC datetimes, to measure many periods in logarithmic
    time. Intervals of aware datetimes compare through their time zones' offsets at every step,
    which is what makes a board of hundreds of employees slow; these spans are converted once."""

    def __init__(self, spans):
        merged = []
        for start, stop in sorted((_naive_utc(a), _naive_utc(b)) for a, b, *_meta in spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
            elif start < stop:
                merged.append((start, stop))
        self.spans = merged
        self.stops = [stop for _start, stop in merged]

    @classmethod
    def from_spans(cls, spans):
        """A timeline of spans that are sorted and disjoint already (of any comparable values)."""
        timeline = cls.__new__(cls)
        timeline.spans = spans
        timeline.stops = [stop for _start, stop in spans]
        return timeline

    def clip(self, start, end):
        """The parts of the spans between ``start`` and ``end``."""
        result = []
        index = bisect.bisect_right(self.stops, start)
        while index < len(self.spans) and self.spans[index][0] < end:
            span_start, span_stop = self.spans[index]
            result.append((max(start, span_start), min(end, span_stop)))
            index += 1
        return result

    def hours(self, start, end):
        return sum((stop - begin).total_seconds() for begin, stop in self.clip(start, end)) / 3600.0

    def gaps(self, periods):
        """The parts of the sorted ``periods`` that no span covers."""
        result = []
        for start, end in periods:
            cursor = start
            for busy_start, busy_stop in self.clip(start, end):
                if busy_start > cursor:
                    result.append((cursor, busy_start))
                cursor = max(cursor, busy_stop)
            if cursor < end:
                result.append((cursor, end))
        return result


def _too_close(first, second):
    """Whether two bookings of one employee, ``first`` starting no later than ``second``, overlap
    or leave less than the travel buffer between different sites."""
    if second["start"] < first["end"]:
        return True
    different_sites = first["site_id"] and second["site_id"] and first["site_id"] != second["site_id"]
    return bool(different_sites and second["start"] < first["end"] + first["buffer"])


def _workdays(attendance):
    """Each local working day from its first to its last attendance: a break is part of the day."""
    spans = {}
    for start, stop, _meta in attendance:
        day = start.date()
        first, last = spans.get(day, (start, stop))
        spans[day] = (min(first, start), max(last, stop))
    return Intervals([(first, last, set()) for first, last in spans.values()])


class _Booking(NamedTuple):
    date_start: datetime
    date_end: datetime
    planned_hours: float


def _booking_spans(bookings):
    return [(booking.date_start, booking.date_end) for booking in bookings]


_EPOCH = datetime(1970, 1, 1)
_TOTALS = ("capacity", "booked", "free")


def _from_seconds(seconds):
    """An aware UTC datetime from seconds since the epoch."""
    return pytz.utc.localize(_EPOCH + timedelta(seconds=seconds))


def _interval_seconds(intervals):
    return [(start.timestamp(), stop.timestamp()) for start, stop, _meta in intervals]


def _merged(spans):
    """Sorted, disjoint, non-empty spans (a tuple) from any ``(start, stop)`` pairs."""
    merged = []
    for start, stop in sorted(spans):
        if merged and start <= merged[-1][1]:
            if stop > merged[-1][1]:
                merged[-1] = (merged[-1][0], stop)
        elif start < stop:
            merged.append((start, stop))
    return tuple(merged)


def _subtract(spans, holes):
    """The parts of sorted, disjoint ``spans`` outside sorted, disjoint ``holes``."""
    if not holes:
        return spans
    result = []
    index = 0
    for start, stop in spans:
        while index < len(holes) and holes[index][1] <= start:
            index += 1
        cursor = start
        probe = index
        while probe < len(holes) and holes[probe][0] < stop:
            hole_start, hole_stop = holes[probe]
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_stop)
            probe += 1
        if cursor < stop:
            result.append((cursor, stop))
    return tuple(result)


def _day_windows(tz, days):
    """``(start, end)`` of each local day of ``tz``, in seconds since the epoch."""
    return [
        (
            tz.localize(datetime.combine(day, time.min)).timestamp(),
            tz.localize(datetime.combine(day + timedelta(days=1), time.min)).timestamp(),
        )
        for day in days
    ]


class _SlotFormatter:
    """Free slots as the board shows them. Employees on one schedule share their slot
    boundaries, so each distinct slot is formatted once."""

    def __init__(self):
        self._slots = {}

    def slot(self, start, stop, tz):
        key = (start, stop, tz.zone)
        slot = self._slots.get(key)
        if slot is None:
            start_utc = _EPOCH + timedelta(seconds=start)
            stop_utc = _EPOCH + timedelta(seconds=stop)
            slot = self._slots[key] = {
                "start": fields.Datetime.to_string(start_utc),
                "end": fields.Datetime.to_string(stop_utc),
                "label": f"{_local(start_utc, tz):%H:%M}-{_local(stop_utc, tz):%H:%M}",
                "hours": round((stop - start) / 3600.0, 2),
            }
        return dict(slot)


class _Board:
    """The cells of the capacity board, in seconds since the epoch. Employees with the same
    schedule, time off and time zone have the same days: those are computed once and shared,
    and only the days an employee has assignments on are computed for them."""

    def __init__(self, day_names, windows_per_tz, tzs):
        self.day_names = day_names
        self.windows_per_tz = windows_per_tz
        self.day_starts_per_tz = {
            zone: [day_start for day_start, _day_end in windows] for zone, windows in windows_per_tz.items()
        }
        self.tzs = tzs
        self.formatter = _SlotFormatter()
        self.timelines = {}
        self.templates = {}
        self.cells = {}
        self.spreads = {}

    def row(self, spans, zone, assignments):
        """``totals`` and ``cells`` of an employee working ``spans`` (shared tuple from
        ``_service_work_seconds``) in ``zone``, with ``assignments`` ``(start, stop, hours)``."""
        work = self._timeline(spans)
        windows = self.windows_per_tz[zone]
        key = (id(spans), zone)
        if key not in self.templates:
            available = [work.clip(*window) for window in windows]
            cells = [self._cell(index, day, 0.0, None, zone) for index, day in enumerate(available)]
            sums = {name: sum(cell[name] for cell in cells) for name in _TOTALS}
            self.templates[key] = (available, cells, sums)
        available, template, sums = self.templates[key]
        if not assignments:
            return {"totals": {name: round(sums[name], 2) for name in _TOTALS}, "cells": list(template)}
        busy = _Timeline.from_spans(_merged((start, stop) for start, stop, _hours in assignments))
        shares = [0.0] * len(windows)
        for start, stop, hours in assignments:
            for index, fraction in self._spread(key, work, start, stop):
                shares[index] += hours * fraction
        cells = list(template)
        day_starts = self.day_starts_per_tz[zone]
        touched = set()
        for busy_start, busy_stop in busy.spans:
            index = max(bisect.bisect_right(day_starts, busy_start) - 1, 0)
            while index < len(windows) and windows[index][0] < busy_stop:
                if windows[index][1] > busy_start:
                    touched.add(index)
                index += 1
        for index in touched:
            # Colleagues on one schedule are often booked at the same hours: same cell.
            cell_key = (key, index, tuple(busy.clip(*windows[index])), shares[index])
            if cell_key not in self.cells:
                self.cells[cell_key] = self._cell(index, available[index], shares[index], busy, zone)
            cells[index] = self.cells[cell_key]
        # The template's sums corrected by the days that differ from it.
        totals = dict(sums)
        for index in touched:
            for name in _TOTALS:
                totals[name] += cells[index][name] - template[index][name]
        return {"totals": {name: round(total, 2) for name, total in totals.items()}, "cells": cells}

    def _spread(self, key, work, start, stop):
        """``(day index, fraction)`` of an assignment from ``start`` to ``stop``: its working time
        in each day over its whole working time (its clock time when it has no working time)."""
        spread_key = (key, start, stop)
        if spread_key not in self.spreads:
            windows = self.windows_per_tz[key[1]]
            shares = _booked_per_day([(start, stop, 1.0)], work, windows)
            self.spreads[spread_key] = [(index, share) for index, share in enumerate(shares) if share]
        return self.spreads[spread_key]

    def _timeline(self, spans):
        if id(spans) not in self.timelines:
            self.timelines[id(spans)] = _Timeline.from_spans(spans)
        return self.timelines[id(spans)]

    def _cell(self, index, available, hours_booked, busy, zone):
        capacity = sum(stop - start for start, stop in available) / 3600.0
        free_spans = busy.gaps(available) if busy else available
        free = sum(stop - start for start, stop in free_spans) / 3600.0
        tz = self.tzs[zone]
        return {
            "date": self.day_names[index],
            "capacity": round(capacity, 2),
            "booked": round(hours_booked, 2),
            "free": round(free, 2),
            "status": _cell_status(capacity, hours_booked, free),
            "slots": [self.formatter.slot(start, stop, tz) for start, stop in free_spans],
        }


def _local(value, tz):
    return pytz.utc.localize(value).astimezone(tz)


def _booked_per_day(assignments, work, day_windows):
    """Spread each assignment's planned hours over the days, in proportion to its working time in
    each day (its clock time when it has no working time at all). ``assignments`` are
    ``(start, stop, planned_hours)`` and all times are seconds since the epoch."""
    totals = [0.0] * len(day_windows)
    day_starts = [day_start for day_start, _day_end in day_windows]
    for assignment_start, assignment_stop, planned_hours in assignments:
        measured = work.clip(assignment_start, assignment_stop) or [(assignment_start, assignment_stop)]
        whole = sum(stop - start for start, stop in measured)
        if not whole:
            continue
        for start, stop in measured:
            index = max(bisect.bisect_right(day_starts, start) - 1, 0)
            while index < len(day_windows) and day_windows[index][0] < stop:
                day_start, day_end = day_windows[index]
                part = min(stop, day_end) - max(start, day_start)
                if part > 0:
                    totals[index] += planned_hours * part / whole
                index += 1
    return totals


def _cell_status(capacity, booked, free):
    if booked > capacity + 0.005:
        return "overbooked"
    if capacity < 0.005:
        return "off"
    if free < 0.005:
        return "full"
    if booked > 0.005:
        return "partial"
    return "free"
