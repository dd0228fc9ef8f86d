"""Placing work into working time, in seconds since the epoch (see spans.py): the end of a booking
dropped on the board, and the auto-plan proposal. Free of the ORM: the callers read everything
they need in a few queries, then this runs in memory."""

import bisect

from .spans import Timeline, merged, subtract


def fit(work, workday, busy, start, seconds):
    """Where a job of ``seconds`` of working time that starts at ``start`` ends: after that much
    of the ``work`` spans, but no later than the end of the working day around ``start`` (one of
    the ``workday`` spans) nor than the start of the next ``busy`` span. Returns ``(end,
    worked seconds)``, or None when ``start`` is not in a working day or nothing of the day's
    working time is left after it."""
    index = bisect.bisect_right([span_start for span_start, _stop in workday], start) - 1
    if index < 0 or workday[index][1] <= start:
        return None
    limit = workday[index][1]
    starts = [span_start for span_start, _stop in busy]
    index = bisect.bisect_right(starts, start)
    if index < len(busy):
        limit = min(limit, busy[index][0])
    left = seconds
    end = start
    for span_start, span_stop in Timeline(work).clip(start, limit):
        take = min(span_stop - span_start, left)
        end = span_start + take
        left -= take
        if left <= 0:
            break
    worked = seconds - left
    if worked <= 0:
        return None
    return end, worked


class Planner:
    """Proposes bookings for orders, one after the other, into the free working time of a team.

    ``people`` maps an employee id to ``(work, workday, busy, days)``: their bookable working
    spans, working days, busy spans (bookings widened by the travel buffer) and the ``(start,
    end)`` of each local day of the period. Each placement takes its time (and the travel buffer
    around it) out of the person's free time before the next order is placed."""

    # Slivers of free time shorter than this (in seconds) are not worth a trip.
    minimum = 900

    def __init__(self, people, buffer, earliest):
        self.buffer = buffer
        self.earliest = earliest
        self.people = {}
        for person, (work, workday, bookings, days) in people.items():
            busy = merged(bookings)
            free = subtract(merged((max(s, earliest), e) for s, e in work if e > earliest), busy)
            timeline = Timeline(free)
            self.people[person] = {
                "work": work,
                "workday": workday,
                "busy": list(busy),
                "free": free,
                "days": days,
                "day_free": [timeline.seconds(*day) for day in days],
            }

    def place(self, seconds, region, candidates):
        """The best booking of ``seconds`` of work within ``region`` (``(start, end)``) for one
        of ``candidates`` (employee ids): on the first day with free time in the region, the
        person with the most free time that day, from their first free moment. Returns
        ``(person, start, end, worked seconds)`` and books it, or None."""
        low, high = max(region[0], self.earliest), region[1]
        if high <= low:
            return None
        day_count = max((len(self.people[p]["days"]) for p in candidates), default=0)
        for index in range(day_count):
            best = None
            for person in candidates:
                data = self.people[person]
                if index >= len(data["days"]):
                    continue
                day_start, day_end = data["days"][index]
                if day_end <= low or day_start >= high:
                    continue
                if low <= day_start and day_end <= high:
                    free = data["day_free"][index]
                else:
                    free = Timeline(data["free"]).seconds(max(day_start, low), min(day_end, high))
                if free > 0 and (best is None or free > best[0]):
                    best = (free, person, max(day_start, low), min(day_end, high))
            if best is None:
                continue
            _free, person, window_start, window_end = best
            data = self.people[person]
            shortest = min(seconds, self.minimum)
            first = next(
                (s for s, e in Timeline(data["free"]).clip(window_start, window_end) if e - s >= shortest),
                None,
            )
            placed = first is not None and fit(data["work"], data["workday"], data["busy"], first, seconds)
            if not placed:
                continue
            end, worked = placed
            self._take(person, first, end)
            return person, first, end, worked
        return None

    def _take(self, person, start, end):
        data = self.people[person]
        hole = (start - self.buffer, end + self.buffer)
        data["busy"] = list(merged([*data["busy"], hole]))
        data["free"] = subtract(data["free"], (hole,))
        timeline = Timeline(data["free"])
        for index, (day_start, day_end) in enumerate(data["days"]):
            if day_start < hole[1] and day_end > hole[0]:
                data["day_free"][index] = timeline.seconds(day_start, day_end)
