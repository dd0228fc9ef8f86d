from collections import defaultdict
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Days kept up to date ahead of today: the planned hours of the coming weeks are read against them.
DAYS_AHEAD = 92
# Where a transaction keeps the employees and days to refresh before it commits.
PENDING = "service_order_kpi.capacity_pending"


class ServiceKpiCapacity(models.Model):
    """One row per employee and day: the hours the availability engine gives them that day
    (working schedule of their contract version, minus time off and public holidays).

    SQL cannot expand working schedules, so the KPI report reads this table. It is written only
    by ``_refresh`` (set-based: a DELETE and an INSERT of the touched employees and days), which
    runs when schedules, contract versions, time off or employees change, and daily by a
    scheduled action over the rolling window. ``refreshed_at`` says how fresh each row is."""

    _name = "service.kpi.capacity"
    _description = "Service KPI: Daily Capacity"
    _order = "date desc, employee_id"
    _rec_name = "employee_id"

    employee_id = fields.Many2one("hr.employee", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date = fields.Date(required=True, readonly=True)
    capacity_hours = fields.Float(readonly=True, digits=(16, 2))
    refreshed_at = fields.Datetime(readonly=True, required=True)

    _employee_date_unique = models.UniqueIndex("(employee_id, date)")
    _date_employee_idx = models.Index("(date, employee_id)")

    @api.model
    def _window(self):
        """The days the daily refresh keeps current: from the first day of last year to
        ``DAYS_AHEAD`` days from today. Older days keep the capacity they were last given."""
        today = fields.Date.context_today(self)
        return date(today.year - 1, 1, 1), today + timedelta(days=DAYS_AHEAD)

    @api.model
    def _rebuild(self):
        """Recompute every employee over the whole window (the daily scheduled action)."""
        return self._refresh()

    @api.model
    def _refresh(self, employees=None, date_from=None, date_to=None):
        """Recompute the capacity of ``employees`` (all of them when None) for the days from
        ``date_from`` to ``date_to`` included, within the window (its bounds when None): one DELETE and one
        INSERT for exactly these keys, from one call of the availability engine. Archived
        employees lose their days from today on and keep their history.

        :returns: the number of rows written"""
        # Days outside the window are history (or too far ahead to matter): never recomputed,
        # so that an absurd date asks for no absurd amount of work.
        window_from, window_to = self._window()
        date_from = max(fields.Date.to_date(date_from) or window_from, window_from)
        date_to = min(fields.Date.to_date(date_to) or window_to, window_to)
        if date_from > date_to:
            return 0
        if employees is None:
            # Every employee has a resource: the one whose schedule and leaves the engine reads.
            employees = (
                self.env["hr.employee"].with_context(active_test=False).search([("resource_id", "!=", False)])
            )
        employees = employees.sudo().with_context(active_test=False).exists()
        if not employees:
            return 0
        employees.fetch(["active", "company_id", "resource_id"])
        active = employees.filtered("active")
        archived = employees - active
        today = fields.Date.context_today(self)
        cr = self.env.cr
        if active:
            cr.execute(
                SQL(
                    "DELETE FROM service_kpi_capacity WHERE employee_id IN %s AND date BETWEEN %s AND %s",
                    tuple(active.ids),
                    date_from,
                    date_to,
                )
            )
        if archived and date_to >= today:
            cr.execute(
                SQL(
                    "DELETE FROM service_kpi_capacity WHERE employee_id IN %s AND date BETWEEN %s AND %s",
                    tuple(archived.ids),
                    max(date_from, today),
                    date_to,
                )
            )
        rows = active._service_kpi_daily_capacity(date_from, date_to)
        if rows:
            employee_ids, company_ids, days, hours = zip(*rows, strict=True)
            cr.execute(
                SQL(
                    """INSERT INTO service_kpi_capacity (employee_id, company_id, date, capacity_hours,
                                                         refreshed_at, create_uid, create_date,
                                                         write_uid, write_date)
                       SELECT e, c, d, h, now() AT TIME ZONE 'UTC', %s, now() AT TIME ZONE 'UTC',
                              %s, now() AT TIME ZONE 'UTC'
                         FROM unnest(%s::int[], %s::int[], %s::date[], %s::float8[]) AS t(e, c, d, h)""",
                    self.env.uid,
                    self.env.uid,
                    list(employee_ids),
                    list(company_ids),
                    list(days),
                    list(hours),
                )
            )
        self.invalidate_model()
        return len(rows)

    @api.model
    def _refresh_later(self, employees, date_from=None, date_to=None):
        """Refresh these employees' days (the whole window when no dates are given) before the
        transaction commits, or before the KPIs are read in it, whichever comes first: creating
        an employee, its version and its schedule writes several times, refreshed once."""
        if not employees:
            return
        data = self.env.cr.precommit.data
        pending = data.get(PENDING)
        if pending is None:
            pending = data[PENDING] = {}
            self.env.cr.precommit.add(self._refresh_pending)
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        for employee_id in employees.ids:
            low, high = date_from, date_to
            if employee_id in pending:
                # None is the window's bound: it covers any date.
                known_low, known_high = pending[employee_id]
                low = None if known_low is None or low is None else min(known_low, low)
                high = None if known_high is None or high is None else max(known_high, high)
            pending[employee_id] = (low, high)

    @api.model
    def _refresh_pending(self):
        """Run the refreshes asked for by ``_refresh_later``: one per distinct period."""
        pending = self.env.cr.precommit.data.pop(PENDING, None)
        if not pending:
            return
        by_period = defaultdict(list)
        for employee_id, period in pending.items():
            by_period[period].append(employee_id)
        Employee = self.env["hr.employee"].sudo().with_context(active_test=False)
        for (date_from, date_to), employee_ids in by_period.items():
            self._refresh(Employee.browse(employee_ids), date_from, date_to)

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Reads in the transaction that changed schedules see the refreshed days.
        self._refresh_pending()
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _cron_rebuild(self):
        self._rebuild()

    @api.model
    def _last_refresh(self, domain=None):
        """When the oldest row of ``domain`` was computed: the report's capacity is at least
        that fresh."""
        result = self._read_group(list(domain or []), [], ["refreshed_at:min"])
        return result[0][0] if result else False
