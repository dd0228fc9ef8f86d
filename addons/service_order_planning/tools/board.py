"""The cells of the capacity board, computed on spans in seconds since the epoch (see spans.py)."""

import bisect

from odoo import fields

from .availability import WorkingTime
from .spans import HOUR, Timeline, length, subtract, to_aware, to_datetime

TOTALS = ("capacity", "booked", "free")
# Hours below this are rounding noise (a hundredth of an hour is 36 seconds).
_NOISE = 0.005


def cell_status(capacity, booked, free):
    if booked > capacity + _NOISE:
        return "overbooked"
    if capacity < _NOISE:
        return "off"
    if free < _NOISE:
        return "full"
    if booked > _NOISE:
        return "partial"
    return "free"


class Board:
    """Builds the board's rows. Employees with the same working time (the same schedules, time
    off and time zone: ``hr.employee._service_availability`` shares one Schedule between them)
    have the same empty days, which are computed once; only the days an employee has assignments
    on are computed for them, and equal days share one cell."""

    def __init__(self, day_names, windows_per_tz, tzs, now):
        """``windows_per_tz``: per time zone name, the ``(start, end)`` of each local day of the
        board; ``tzs``: the pytz time zone of each name; ``now``: the current time, in seconds
        since the epoch (free slots that ended before it are past)."""
        self.now = now
        self.day_names = day_names
        self.windows_per_tz = windows_per_tz
        self.day_starts_per_tz = {
            zone: [day_start for day_start, _day_end in windows] for zone, windows in windows_per_tz.items()
        }
        self.tzs = tzs
        self.templates = {}
        self.cells = {}
        self.slots = {}

    def row(self, schedule, zone, assignments):
        """``totals`` and ``cells`` of an employee with ``schedule`` (a Schedule shared between
        the employees with the same working time) in ``zone``, with ``assignments``
        ``(start, stop, planned hours, job)`` sorted by start, where ``job`` is the dict that the
        cells of the assignment's days list in their ``jobs``. A job whose ``outside_hours`` is
        not set yet gets it here: whether it meets time off or leaves the working days, as
        ``service.assignment._capacity_problems`` judges it.

        Booked hours are each assignment's planned hours, spread over its days in proportion to
        its working time in each day (its clock time when it has no working time), so that the
        board adds up to the orders' planned hours."""
        key = (id(schedule), zone)
        template = self.templates.get(key)
        if template is None:
            template = self.templates[key] = self._template(schedule, zone)
        working, available, quotas, empty_cells, sums, workdays, leaves = template
        if not assignments:
            return {"totals": {name: round(sums[name], 2) for name in TOTALS}, "cells": list(empty_cells)}
        days = self._spread(zone, working, workdays, leaves, assignments)
        cells = list(empty_cells)
        capacity, booked, free = sums["capacity"], sums["booked"], sums["free"]
        shared = self.cells
        for index, (hours, day_spans, jobs) in days.items():
            # Sorted by start and disjoint: the no-double-booking constraint keeps active
            # assignments of one employee apart.
            day_busy = tuple(day_spans)
            # Colleagues on one schedule are often booked at the same hours: same cell.
            cell_key = (key, index, day_busy, hours)
            cell = shared.get(cell_key)
            if cell is None:
                cell = shared[cell_key] = self._cell(
                    index, available[index], hours, day_busy, zone, quota=quotas[index]
                )
            # The empty row's sums, corrected by the days that differ from it.
            empty = cells[index]
            capacity += cell["capacity"] - empty["capacity"]
            booked += cell["booked"] - empty["booked"]
            free += cell["free"] - empty["free"]
            # The figures and slots are shared; the jobs are the employee's own.
            cell = dict(cell)
            cell["jobs"] = jobs
            cells[index] = cell
        totals = {"capacity": round(capacity, 2), "booked": round(booked, 2), "free": round(free, 2)}
        return {"totals": totals, "cells": cells}

    def _spread(self, zone, working, workdays, leaves, assignments):
        """Per day index of ``zone``, ``[booked hours, busy spans, jobs]`` of ``assignments``,
        each job's ``outside_hours`` set on the way."""
        windows = self.windows_per_tz[zone]
        day_starts = self.day_starts_per_tz[zone]
        last_day = len(windows) - 1
        days = {}
        covers, meets = workdays.covers, leaves.meets
        for start, stop, hours, job in assignments:
            if not job["outside_hours"]:
                job["outside_hours"] = meets(start, stop) or not covers(start, stop)
            first = bisect.bisect_right(day_starts, start) - 1
            if first >= 0 and stop <= windows[first][1]:
                # Within one day, as nearly all are: all of it counts on that day.
                day = days.get(first)
                if day is None:
                    days[first] = [hours, [(start, stop)], [job]]
                else:
                    day[0] += hours
                    day[1].append((start, stop))
                    day[2].append(job)
                continue
            whole = working.seconds(start, stop)
            for index in range(max(first, 0), min(bisect.bisect_left(day_starts, stop) - 1, last_day) + 1):
                day_start, day_end = windows[index]
                clipped = (max(start, day_start), min(stop, day_end))
                if clipped[0] >= clipped[1]:
                    continue
                # Without working time, the clock time of the assignment spreads its hours.
                part = working.seconds(*clipped) if whole else clipped[1] - clipped[0]
                day = days.get(index)
                if day is None:
                    day = days[index] = [0.0, [], []]
                if part:
                    day[0] += hours * part / (whole or stop - start)
                day[1].append(clipped)
                day[2].append(job)
        return days

    def _template(self, schedule, zone):
        working = WorkingTime(schedule)
        windows = self.windows_per_tz[zone]
        available = [tuple(working.timeline.clip(*window)) for window in windows]
        quotas = [working.quota_of(*window) for window in windows]
        cells = [
            self._cell(index, day, 0.0, (), zone, quota=quotas[index]) for index, day in enumerate(available)
        ]
        sums = {name: sum(cell[name] for cell in cells) for name in TOTALS}
        return working, available, quotas, cells, sums, Timeline(schedule.workday), Timeline(schedule.leave)

    def _cell(self, index, available, booked, busy, zone, *, quota=None):
        """A day with ``available`` bookable spans, of which ``quota`` seconds count as working
        time on a flexible-hours schedule (all of them otherwise)."""
        bookable = length(available)
        free_spans = subtract(available, busy)
        if quota is None:
            capacity = bookable / HOUR
            free = length(free_spans) / HOUR
        else:
            capacity = min(quota, bookable) / HOUR
            free = max(capacity - (bookable - length(free_spans)) / HOUR, 0.0)
        return {
            "date": self.day_names[index],
            "capacity": round(capacity, 2),
            "booked": round(booked, 2),
            "free": round(free, 2),
            "status": cell_status(capacity, booked, free),
            "slots": [self._slot(start, stop, zone) for start, stop in free_spans],
            "jobs": [],
        }

    def _slot(self, start, stop, zone):
        """A free slot as the board shows it; employees on one schedule share their slot
        boundaries, so each distinct slot is formatted once (and shared: read-only)."""
        key = (start, stop, zone)
        slot = self.slots.get(key)
        if slot is None:
            tz = self.tzs[zone]
            slot = self.slots[key] = {
                "start": fields.Datetime.to_string(to_datetime(start)),
                "end": fields.Datetime.to_string(to_datetime(stop)),
                "label": f"{to_aware(start).astimezone(tz):%H:%M}-{to_aware(stop).astimezone(tz):%H:%M}",
                "hours": round((stop - start) / HOUR, 2),
                # Shown but not bookable: nobody can be sent back in time.
                "past": stop <= self.now,
            }
        return slot
