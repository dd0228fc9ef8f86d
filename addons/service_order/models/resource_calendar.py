import bisect
from datetime import timedelta

import pytz

from odoo import models

# How far ahead the first look for working time goes; it doubles until every request is met.
_FIRST_HORIZON = timedelta(days=21)
_MAX_HORIZON = timedelta(days=3 * 366)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _service_add_working_hours(self, requests, company=None):
        """Return, for each ``(start, hours)`` of ``requests``, the moment at which ``hours``
        working hours of this calendar have passed since ``start``.

        Leaves of the calendar without resource (public holidays, company closures) of ``company``
        (or of no company) are not working time; another company's holidays are not. Datetimes
        are naive UTC, as stored by the ORM. All requests share one
        computation of the calendar's intervals, whatever their number. A request that cannot
        be met within three years (a calendar without attendances) gets ``False``.
        """
        self.ensure_one()
        if not requests:
            return []
        companies = company or self.env["res.company"]
        leave_domain = [("time_type", "=", "leave"), ("company_id", "in", [False, *companies.ids])]
        first = min(start for start, _hours in requests)
        horizon = _FIRST_HORIZON + timedelta(hours=max(hours for _start, hours in requests) * 7 / 5)
        while True:
            end = max(start for start, _hours in requests) + horizon
            intervals = self._work_intervals_batch(
                pytz.utc.localize(first), pytz.utc.localize(end), domain=leave_domain, compute_leaves=True
            )[False]
            spans = [
                (
                    start.astimezone(pytz.utc).replace(tzinfo=None),
                    stop.astimezone(pytz.utc).replace(tzinfo=None),
                )
                for start, stop, _records in intervals
            ]
            results = [_walk(spans, start, hours) for start, hours in requests]
            if all(results) or horizon >= _MAX_HORIZON:
                return results
            horizon *= 2


def _walk(spans, start, hours):
    """The end of ``hours`` of work counted from ``start`` through the sorted ``spans``."""
    remaining = timedelta(hours=hours)
    if not remaining:
        return start
    index = max(bisect.bisect_right(spans, (start,)) - 1, 0)
    for span_start, span_stop in spans[index:]:
        if span_stop <= start:
            continue
        begin = max(span_start, start)
        available = span_stop - begin
        if available >= remaining:
            return begin + remaining
        remaining -= available
    return False
