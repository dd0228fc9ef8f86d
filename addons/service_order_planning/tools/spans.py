"""Arithmetic on time spans in seconds since the epoch (UTC).

Availability, free slots and the capacity board all measure working time against bookings, for
hundreds of employees and thousands of days at once. Comparing and subtracting floats is many times
cheaper than doing the same on aware datetimes (each comparison of those goes through both time
zones' offsets), so every computation converts its inputs once and works on ``(start, stop)``
pairs of floats.
"""

import bisect
from datetime import datetime, time, timedelta

import pytz

EPOCH = datetime(1970, 1, 1)
HOUR = 3600.0


def seconds(value):
    """Seconds since the epoch of a naive UTC datetime (as the ORM stores them) or an aware one."""
    if value.tzinfo:
        return value.timestamp()
    return (value - EPOCH).total_seconds()


def to_datetime(value):
    """The naive UTC datetime of seconds since the epoch."""
    return EPOCH + timedelta(seconds=value)


def to_aware(value):
    """The aware UTC datetime of seconds since the epoch."""
    return pytz.utc.localize(to_datetime(value))


def merged(spans):
    """Sorted, disjoint, non-empty spans (a tuple) from any ``(start, stop)`` pairs."""
    result = []
    for start, stop in sorted(spans):
        if result and start <= result[-1][1]:
            if stop > result[-1][1]:
                result[-1] = (result[-1][0], stop)
        elif start < stop:
            result.append((start, stop))
    return tuple(result)


def subtract(spans, holes):
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


def length(spans):
    """Total length of disjoint spans, in seconds."""
    return sum(stop - start for start, stop in spans)


def day_windows(tz, days):
    """``(start, end)`` of each local day of ``tz``, in seconds since the epoch. A day ends where
    the next one starts: each midnight is localised once (a year of days is a year of calls)."""
    midnights = {}
    for day in days:
        for moment in (day, day + timedelta(days=1)):
            if moment not in midnights:
                midnights[moment] = tz.localize(datetime.combine(moment, time.min)).timestamp()
    return [(midnights[day], midnights[day + timedelta(days=1)]) for day in days]


class Timeline:
    """Sorted, disjoint spans, to measure many periods against them in logarithmic time."""

    __slots__ = ("spans", "stops")

    def __init__(self, spans):
        """``spans`` must be sorted and disjoint already (see :func:`merged`)."""
        self.spans = spans
        self.stops = [stop for _start, stop in spans]

    def clip(self, start, end):
        """The parts of the spans between ``start`` and ``end``."""
        spans = self.spans
        result = []
        index = bisect.bisect_right(self.stops, start)
        while index < len(spans) and spans[index][0] < end:
            span_start, span_stop = spans[index]
            # Plain comparisons rather than max() and min(): this runs for every cell of a board.
            result.append(
                (start if span_start < start else span_start, end if span_stop > end else span_stop)
            )
            index += 1
        return result

    def covers(self, start, end):
        """Whether one span covers all of ``start`` to ``end``."""
        index = bisect.bisect_right(self.stops, start)
        return index < len(self.spans) and self.spans[index][0] <= start and end <= self.stops[index]

    def meets(self, start, end):
        """Whether any span overlaps ``start`` to ``end``."""
        index = bisect.bisect_right(self.stops, start)
        return index < len(self.spans) and self.spans[index][0] < end

    def seconds(self, start, end):
        """How much of ``start`` to ``end`` the spans cover."""
        return length(self.clip(start, end))

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
