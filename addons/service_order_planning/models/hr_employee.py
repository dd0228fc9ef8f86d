from collections import defaultdict
from datetime import date, datetime, timedelta

import pytz

from odoo import fields, models

from ..tools import spans
from ..tools.availability import Schedule, flexible_days, local_date, local_midnight, whole_days, workdays


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    # A flag rather than membership of the Technician group: field staff need no Odoo user (a
    # subcontractor, an apprentice), and office users may be technicians for their own orders.
    service_field_staff = fields.Boolean(
        string="Field Service",
        groups="hr.group_hr_user",
        index=True,
        tracking=True,
        help="Works on service orders on site: shown on the dispatch board and offered by auto-plan.",
    )

    def _service_availability(self, start, end):
        """The availability of these employees between ``start`` and ``end`` (seconds since the
        epoch, or naive UTC datetimes as the ORM stores them): per employee id, a ``Schedule``
        (tools/availability.py) of the spans of their time off, bookable working time and
        working days. Planning, the time clock and the KPI capacity table all read this one
        engine.

        - The working schedule of each day is the one of the employee's contract version valid
          that day (``hr.version``: the last version whose ``date_version`` is on or before the
          day, in the employee's time zone; before the first version, the first one, as
          ``hr.employee._get_version`` does). A version with a contract gives no working time on
          its days outside the contract's dates; versions without contract dates (no payroll)
          always work on their schedule.
        - Working hours come from ``resource.calendar._attendance_intervals_batch``, once per
          schedule and time zone over the period of all the employees using it (not per
          employee). Employees without a schedule are fully flexible: they may work at any time.
        - Flexible-hours schedules have no fixed hours: Odoo's noon-centred blocks are an
          estimate for its time-off and overtime totals, not times a dispatcher must respect. Any
          time of a working day is bookable, and each working day counts ``hours_per_day`` of
          capacity (``Schedule.quota``); the working days of a week are its first days from
          Monday until ``hours_per_week`` is reached (see ``flexible_days``).
        - Time off and public holidays are the calendar leaves that Odoo's
          ``_leave_intervals_batch`` would take (hr_holidays writes approved time off there),
          read in one query for everybody: the leaves of the employee's resource and the leaves
          without a resource of their company, without a schedule or on the schedule valid at
          their time. As in Odoo, the time off of a fully flexible employee covers whole days.

        Employees with the same schedules, time zone and leaves share one Schedule: the board
        relies on it to compute each distinct day once."""
        start, end = _seconds(start), _seconds(end)
        employees = self.sudo()
        # The fields behind employee.tz and the company of the resource, read directly: the
        # related fields of the employee go through every column of the employee and its version.
        employees.fetch(["resource_id"])
        employees.resource_id.fetch(["tz", "company_id", "calendar_id"])
        periods = employees._service_calendar_periods(start, end)
        bounds = {}
        for zone, segments in periods.values():
            for segment_start, segment_end, calendar in segments:
                low, high = bounds.get((calendar, zone), (segment_start, segment_end))
                bounds[calendar, zone] = (min(low, segment_start), max(high, segment_end))
        hours = {key: _working_hours(key[0], key[1], low, high) for key, (low, high) in bounds.items()}
        leaves = employees._service_leaves(periods, start, end)
        shared = {}
        result = {}
        for employee in employees:
            zone, segments = periods[employee.id]
            leave = leaves[employee.id]
            key = (zone, tuple((s, e, _calendar_key(calendar)) for s, e, calendar in segments), leave)
            if key not in shared:
                shared[key] = _schedule(segments, zone, hours, leave)
            result[employee.id] = shared[key]
        return result

    def _service_calendar_periods(self, start, end):
        """Per employee id, ``(time zone, segments)``: the ``(start, end, calendar)`` of each part
        of ``start``-``end`` on one working schedule, in order, from the contract versions of the
        employee (one query for everybody)."""
        versions = (
            self.env["hr.version"]
            .sudo()
            .search_fetch(
                [("employee_id", "in", self.ids)],
                [
                    "employee_id",
                    "date_version",
                    "resource_calendar_id",
                    "contract_date_start",
                    "contract_date_end",
                ],
                order="employee_id, date_version, id",
            )
        )
        dated = defaultdict(list)
        for version in versions:
            dated[version.employee_id.id].append(version)
        result = {}
        for employee in self:
            zone = employee.resource_id.tz or "UTC"
            tz = pytz.timezone(zone)
            # Version dates outside the period only need comparing, not converting: converting
            # dates near year 1 or 9999 overflows.
            first_day, last_day = local_date(tz, start), local_date(tz, end)

            def boundary(day, tz=tz, first_day=first_day, last_day=last_day):
                if day < first_day:
                    return start
                if day > last_day:
                    return end
                return min(max(local_midnight(tz, day), start), end)

            changes = _calendar_changes(dated.get(employee.id)) or [(None, employee.resource_id.calendar_id)]
            segments = []
            for index, (day, calendar) in enumerate(changes):
                segment_start = boundary(day) if index else start
                segment_end = boundary(changes[index + 1][0]) if index + 1 < len(changes) else end
                if segment_start >= segment_end:
                    continue
                if segments and segments[-1][2] == calendar and segments[-1][1] == segment_start:
                    segments[-1] = (segments[-1][0], segment_end, calendar)
                else:
                    segments.append((segment_start, segment_end, calendar))
            result[employee.id] = (zone, tuple(segments))
        return result

    def _service_leaves(self, periods, start, end):
        """Per employee id, the sorted, disjoint spans of their time off and public holidays
        between ``start`` and ``end``, following the schedule of each part of the period (see
        ``_service_availability``)."""
        calendars = {
            calendar.id for _zone, segments in periods.values() for *_span, calendar in segments if calendar
        }
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("time_type", "=", "leave"),
                    ("resource_id", "in", [False, *self.resource_id.ids]),
                    ("calendar_id", "in", [False, *calendars]),
                    ("date_from", "<", spans.to_datetime(end)),
                    ("date_to", ">", spans.to_datetime(start)),
                ],
                ["resource_id", "calendar_id", "company_id", "date_from", "date_to"],
            )
        )
        public = defaultdict(list)
        personal = defaultdict(list)
        for leave in leaves:
            span = (max(spans.seconds(leave.date_from), start), min(spans.seconds(leave.date_to), end))
            if leave.resource_id:
                personal[leave.resource_id.id].append((leave.calendar_id.id, leave, span))
            else:
                public[leave.calendar_id.id, leave.company_id.id].append(span)
        result = {}
        for employee in self:
            zone, segments = periods[employee.id]
            company = employee.resource_id.company_id.id
            own = list(public[False, company])
            for segment_start, segment_end, calendar in segments:
                if calendar is None:
                    # Out of contract: no working time for time off to take away.
                    continue
                found = list(public[calendar.id, company]) if calendar else []
                found += [
                    span
                    if calendar
                    else whole_days(leave.date_from, leave.date_to, pytz.timezone(zone), start, end)
                    for calendar_id, leave, span in personal[employee.resource_id.id]
                    if calendar_id in (False, calendar.id)
                ]
                own += [(max(s, segment_start), min(e, segment_end)) for s, e in found]
            result[employee.id] = spans.merged(own)
        return result


def _calendar_changes(versions):
    """``(day, calendar)`` from which each calendar applies, in order, from the versions of one
    employee sorted by date (the first day is None: from the start). A version with a contract
    has no working time (calendar ``None``) on its days outside the contract's dates."""
    changes = []
    for index, version in enumerate(versions or ()):
        valid_from = version.date_version if index else None
        valid_until = versions[index + 1].date_version if index + 1 < len(versions) else None
        calendar = version.resource_calendar_id
        if not version.contract_date_start:
            changes.append((valid_from, calendar))
            continue
        end = version.contract_date_end
        contract = (version.contract_date_start, end + timedelta(days=1) if end and end < date.max else None)

        def on(day, contract=contract, calendar=calendar):
            inside = day is not None and contract[0] <= day and (contract[1] is None or day < contract[1])
            return calendar if inside else None

        changes.append((valid_from, on(valid_from)))
        changes += [
            (day, on(day))
            for day in contract
            if day is not None
            and (valid_from is None or day > valid_from)
            and (valid_until is None or day < valid_until)
        ]
    return changes


def _calendar_key(calendar):
    """The id of a segment's calendar: False without one (fully flexible), None out of contract."""
    return None if calendar is None else calendar.id


def _seconds(value):
    """Seconds since the epoch of seconds or of a naive UTC datetime."""
    return spans.seconds(value) if isinstance(value, datetime) else float(value)


def _working_hours(calendar, zone, start, end):
    """``(work, workday, quota)`` spans of ``calendar`` in ``zone`` between ``start`` and ``end``
    (see ``Schedule``), before leaves."""
    if calendar is None:
        return (), (), ()
    if not calendar:
        return ((start, end),), ((start, end),), ()
    tz = pytz.timezone(zone)
    if calendar.flexible_hours:
        weekly = calendar.hours_per_week or calendar.full_time_required_hours
        days = flexible_days(tz, start, end, calendar.hours_per_day, weekly)
        bookable = spans.merged((max(day_start, start), min(day_end, end)) for day_start, day_end, _s in days)
        return bookable, bookable, days
    intervals = calendar._attendance_intervals_batch(spans.to_aware(start), spans.to_aware(end), tz=tz)[False]
    return spans.merged((a.timestamp(), b.timestamp()) for a, b, _meta in intervals), workdays(intervals), ()


def _schedule(segments, zone, hours, leave):
    """The Schedule of an employee on ``segments`` with ``leave``, from the working hours of each
    (calendar, zone) in ``hours``."""
    work, workday, quota = [], [], []
    for segment_start, segment_end, calendar in segments:
        attendance, days, flexible = hours[calendar, zone]
        work += spans.Timeline(attendance).clip(segment_start, segment_end)
        workday += spans.Timeline(days).clip(segment_start, segment_end)
        quota += [day for day in flexible if segment_start <= day[0] < segment_end]
    work, workday = spans.merged(work), spans.merged(workday)
    if quota:
        # Time off on a flexible day takes its length off the day's hours; a day left without
        # hours is not bookable.
        leaves = spans.Timeline(leave)
        kept, dropped = [], []
        for day_start, day_end, seconds in quota:
            left = seconds - leaves.seconds(day_start, day_end)
            if left > 0:
                kept.append((day_start, day_end, left))
            else:
                dropped.append((day_start, day_end))
        holes = spans.merged([*leave, *dropped])
        return Schedule(leave, spans.subtract(work, holes), spans.subtract(workday, holes), tuple(kept))
    return Schedule(leave, spans.subtract(work, leave), spans.subtract(workday, leave))
