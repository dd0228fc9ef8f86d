"""The pieces of an employee's availability, in seconds since the epoch (see spans.py).

``hr.employee._service_availability`` builds them; planning, the time clock and the KPI capacity
table read them. Kept free of the ORM so that they can be shared between employees and measured
cheaply, day after day.
"""

import bisect
from datetime import datetime, time, timedelta
from typing import NamedTuple

import pytz

from .spans import Timeline, day_windows, merged


class Schedule(NamedTuple):
    """An employee's time over a period, as sorted, disjoint spans in seconds since the epoch."""

    leave: tuple  # time off and public holidays
    work: tuple  # bookable working time: working hours minus leave
    workday: tuple  # each working day from its first to its last working hour (breaks in), minus leave
    # ``(day_start, day_end, seconds)`` of the days of a flexible-hours schedule: any time of the
    # day is bookable (it is in ``work``), but only ``seconds`` of it count as working time.
    quota: tuple = ()


def local_midnight(tz, day):
    """Seconds since the epoch of the start of ``day`` in ``tz``."""
    return tz.localize(datetime.combine(day, time.min)).timestamp()


def local_date(tz, value):
    """The local date in ``tz`` at ``value`` seconds since the epoch."""
    return datetime.fromtimestamp(value, pytz.utc).astimezone(tz).date()


def workdays(attendance):
    """Each local working day of attendance Intervals (aware datetimes in the employee's time
    zone) from its first to its last attendance, as spans: a break is part of the day."""
    days = {}
    for start, stop, _meta in attendance:
        first, last = days.get(start.date(), (start, stop))
        days[start.date()] = (min(first, start), max(last, stop))
    return merged((first.timestamp(), last.timestamp()) for first, last in days.values())


def whole_days(leave_from, leave_to, tz, start, end):
    """The time off of a fully flexible employee: from the start of its first local day to the
    end of its last one (Odoo's ``_handle_flexible_leave_interval``), within ``start``-``end``.
    ``leave_from`` and ``leave_to`` are naive UTC datetimes."""
    first, last = (pytz.utc.localize(value).astimezone(tz) for value in (leave_from, leave_to))
    windows = day_windows(tz, [first.date(), last.date()])
    return (max(windows[0][0], start), min(windows[1][1], end))


def flexible_days(tz, start, end, hours_per_day, hours_per_week):
    """``(day_start, day_end, seconds)`` of the working days of a flexible-hours schedule that
    overlap ``start``-``end``, whole local days of ``tz``.

    As Odoo's ``_attendance_intervals_batch`` does for flexible schedules, each week's hours are
    given ``hours_per_day`` a day until they are used up (the last day gets the rest), but the
    weeks are calendar weeks from Monday rather than weeks from the first day asked for, so that
    a day's capacity does not depend on the period asked for."""
    daily = max(hours_per_day, 0.0) * 3600
    weekly = max(hours_per_week, 0.0) * 3600 if hours_per_week else 7 * daily
    if not daily:
        return ()
    first, last = local_date(tz, start), local_date(tz, end)
    result = []
    day = first - timedelta(days=first.weekday())
    while day <= last:
        left = weekly
        for offset in range(7):
            current = day + timedelta(days=offset)
            seconds = min(daily, left)
            left -= seconds
            if seconds <= 0 or not first <= current <= last:
                continue
            day_start, day_end = local_midnight(tz, current), local_midnight(tz, current + timedelta(days=1))
            if day_start < end and day_end > start:
                result.append((day_start, day_end, seconds))
        day += timedelta(days=7)
    return tuple(result)


class WorkingTime:
    """Measures working time against a Schedule: the bookable spans, where on the days of a
    flexible-hours schedule only the day's quota counts."""

    __slots__ = ("quota", "quota_starts", "timeline")

    def __init__(self, schedule):
        self.timeline = Timeline(schedule.work)
        self.quota = schedule.quota
        self.quota_starts = [day_start for day_start, _day_end, _seconds in schedule.quota]

    def seconds(self, start, end):
        """Working seconds between ``start`` and ``end``."""
        total = self.timeline.seconds(start, end)
        if not self.quota:
            return total
        index = max(bisect.bisect_right(self.quota_starts, start) - 1, 0)
        while index < len(self.quota) and self.quota[index][0] < end:
            day_start, day_end, seconds = self.quota[index]
            inside = self.timeline.seconds(max(start, day_start), min(end, day_end)) if day_end > start else 0
            if inside > seconds:
                total -= inside - seconds
            index += 1
        return total

    def quota_of(self, day_start, day_end):
        """The quota of the flexible day that starts at ``day_start``, or None."""
        index = bisect.bisect_left(self.quota_starts, day_start)
        if index < len(self.quota) and self.quota[index][0] == day_start and self.quota[index][1] == day_end:
            return self.quota[index][2]
        return None
