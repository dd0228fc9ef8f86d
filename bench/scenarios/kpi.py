"""The KPI report (`service.kpi.report`, a read-only SQL view): its pivot against a hand-written
SQL GROUP BY computing the same figures from the same tables, at ten times the data, its XLSX
export, and the incremental refresh of its daily capacity table."""

import tempfile
import tracemalloc
from collections import Counter

from bench.meter import fastest, measure
from odoo import fields
from odoo.tools import SQL

from . import Side, scenario

MEASURES = [
    "capacity_hours",
    "planned_hours",
    "worked_hours",
    "travel_hours",
    "sold_hours",
    "cost",
    "revenue",
    "margin",
]
REPEAT = 3
EXPORT_ROWS = 100_000
EXPORT_SMALL = 10_000


# ---------------------------------------------------------------------------------- pivot
def _pivot(env):
    """Per employee and month over all the data, every measure, as the pivot view asks for it
    (the names of the employees, which the SQL side does not read, are left out)."""
    return env["service.kpi.report"]._read_group(
        [], ["employee_id", "date:month"], [f"{m}:sum" for m in MEASURES]
    )


def kpi_pivot(env, scale=1.0):
    result, groups = fastest(env, lambda: _pivot(env), REPEAT)
    # Untimed: the hand-written query must give the same figures, or the comparison is void.
    expected = {(employee, month): figures for employee, month, *figures in _pivot_sql(env)}
    got = {(employee.id or None, month): figures for employee, month, *figures in groups}
    result.checks["same_figures_as_sql"] = set(got) == set(expected) and all(
        abs(a - b) <= 1e-6 * max(1.0, abs(b))
        for key, figures in got.items()
        for a, b in zip(figures, expected[key], strict=True)
    )
    result.notes.append(f"{len(groups)} groups (employee x month)")
    return result.as_dict()


def kpi_pivot_sql(env, scale=1.0):
    """The floor: the same figures per employee and month in one hand-written query over the
    time records, assignments, orders, capacity and hourly cost tables."""
    result, groups = fastest(env, lambda: _pivot_sql(env), REPEAT)
    result.notes.append(f"{len(groups)} groups")
    return result.as_dict()


def _pivot_sql(env):
    local_day = "((%s AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(r.tz, 'UTC'))::date"
    env.cr.execute(
        SQL(
            f"""
            WITH hours AS (
                SELECT a.employee_id, a.service_order_id, {local_day % "a.check_in"} AS day, 0.0 AS planned,
                       sum(CASE WHEN a.kind = 'work' THEN a.worked_hours ELSE 0.0 END) AS worked,
                       sum(CASE WHEN a.kind = 'travel' THEN a.worked_hours ELSE 0.0 END) AS travel,
                       sum(COALESCE(a.billable_hours, 0.0)) AS billable,
                       sum(CASE WHEN a.is_invoiced THEN COALESCE(a.billable_hours, 0.0) ELSE 0.0 END)
                           AS invoiced
                  FROM service_attendance a
                  JOIN hr_employee e ON e.id = a.employee_id
                  JOIN resource_resource r ON r.id = e.resource_id
              GROUP BY 1, 2, 3
             UNION ALL
                SELECT s.employee_id, s.service_order_id, {local_day % "s.date_start"}, sum(s.planned_hours),
                       0.0, 0.0, 0.0, 0.0
                  FROM service_assignment s
                  JOIN hr_employee e ON e.id = s.employee_id
                  JOIN resource_resource r ON r.id = e.resource_id
                 WHERE s.state != 'cancelled'
              GROUP BY 1, 2, 3
            ), per_order AS (
                SELECT h.employee_id, h.service_order_id, date_trunc('month', h.day)::date AS month,
                       sum(h.planned) AS planned, sum(h.worked) AS worked, sum(h.travel) AS travel,
                       sum(h.billable) AS billable, sum(h.invoiced) AS invoiced,
                       sum((h.worked + h.travel) * COALESCE(c.hourly_cost, 0.0)::float) AS cost
                  FROM hours h
             LEFT JOIN service_kpi_hourly_cost c
                        ON c.employee_id = h.employee_id
                       AND (c.date_from IS NULL OR c.date_from <= h.day)
                       AND (c.date_to IS NULL OR c.date_to > h.day)
              GROUP BY 1, 2, 3
            ), per_employee AS (
                SELECT employee_id, date_trunc('month', date)::date AS month, capacity_hours AS capacity,
                       0.0 AS planned, 0.0 AS worked, 0.0 AS travel, 0.0 AS sold, 0.0 AS cost, 0.0 AS revenue
                  FROM service_kpi_capacity
             UNION ALL
                SELECT p.employee_id, p.month, 0.0, p.planned, p.worked, p.travel,
                       COALESCE(o.sold_hours, 0.0) * CASE
                           WHEN o.state = 'cancelled' THEN 0.0
                           WHEN o.worked_hours > 0.0 THEN p.worked / o.worked_hours
                           WHEN o.planned_hours > 0.0 THEN p.planned / o.planned_hours
                           ELSE 0.0 END,
                       p.cost,
                       COALESCE(CASE WHEN o.kpi_invoiced_hours > 0.0
                                     THEN o.kpi_invoiced_amount::float * p.invoiced / o.kpi_invoiced_hours
                                     WHEN o.billable_hours > 0.0
                                     THEN o.kpi_invoiced_amount::float * p.billable / o.billable_hours
                                END, 0.0)
                       + COALESCE(CASE WHEN COALESCE(o.kpi_invoiced_hours, 0.0) = 0.0
                                            AND COALESCE(o.kpi_invoiced_amount, 0.0) != 0.0 THEN 0.0
                                       ELSE o.kpi_hour_price::float * (p.billable - p.invoiced) END, 0.0)
                  FROM per_order p
                  JOIN service_order o ON o.id = p.service_order_id
             UNION ALL
                SELECT NULL, date_trunc('month', COALESCE(o.date_start, o.create_date)::date)::date, 0.0, 0.0,
                       0.0, 0.0, COALESCE(o.sold_hours, 0.0), 0.0, 0.0
                  FROM service_order o
                 WHERE o.state != 'cancelled' AND COALESCE(o.worked_hours, 0.0) = 0.0
                   AND COALESCE(o.planned_hours, 0.0) = 0.0
            )
            SELECT employee_id, month, sum(capacity), sum(planned), sum(worked), sum(travel), sum(sold),
                   sum(cost), sum(revenue), sum(revenue - cost)
              FROM per_employee
          GROUP BY 1, 2
            """
        )
    )
    return env.cr.fetchall()


scenario(
    name="kpi_pivot_vs_sql",
    title="KPI pivot (employee x month, 1M time records) vs the same figures by hand-written SQL",
    modules=("service_order_kpi",),
    ours=Side("ours", "bench.scenarios.kpi:kpi_pivot", label="service.kpi.report _read_group"),
    baseline=Side("ours", "bench.scenarios.kpi:kpi_pivot_sql", label="hand-written SQL GROUP BY"),
    target=2.0,
)
scenario(
    name="kpi_pivot_growth_10x",
    title="KPI pivot with 10x the data (4x the time records) vs 1x (linear at most, same queries)",
    modules=("service_order_kpi",),
    ours=Side("ours_x10", "bench.scenarios.kpi:kpi_pivot", label="pivot at 10x"),
    baseline=Side("ours", "bench.scenarios.kpi:kpi_pivot", label="pivot at 1x"),
    target=10.0,
    kind="growth",
    query_growth_max=1.0,
)


# ---------------------------------------------------------------------------------- export
def _export(env, rows):
    """An export of the report's own rows (the Detail sheet: employee x day x order) over the
    last days of the past that hold at least ``rows`` of them; returns (wizard, rows)."""
    Report = env["service.kpi.report"]
    today = fields.Date.today()
    per_day = Counter(
        day
        for day, _employee, _order, _count in Report._read_group(
            [("date", "<=", today)], ["date:day", "employee_id", "service_order_id"], ["__count"]
        )
    )
    total, day = 0, today
    for day in sorted(per_day, reverse=True):
        total += per_day[day]
        if total >= rows:
            break
    wizard = env["service.kpi.export"].create(
        {"date_from": day, "date_to": today, "by_period": False, "by_employee": False, "by_detail": True}
    )
    return wizard, total


def _write(wizard):
    with tempfile.TemporaryDirectory() as folder:
        wizard._write_workbook(folder)


def _traced_peak(env, wizard):
    """The peak of the Python memory allocated while writing the workbook, in MiB (tracemalloc:
    the process's resident memory is mostly the registry, which would hide the export's)."""
    env.invalidate_all()
    tracemalloc.start()
    try:
        _write(wizard)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def kpi_export(env, scale=1.0, rows=EXPORT_ROWS):
    wizard, count = _export(env, round(rows * min(scale, 1.0)))
    with measure(env) as result:
        _write(wizard)
    result.notes.append(f"{count} rows from {wizard.date_from} to {wizard.date_to}")
    if rows == EXPORT_ROWS:
        # Untimed: the memory of this export against one of a tenth of the rows, in this process,
        # after a first small export has loaded what any export loads once.
        small, small_count = _export(env, round(EXPORT_SMALL * min(scale, 1.0)))
        _traced_peak(env, small)
        small_peak = _traced_peak(env, small)
        peak = _traced_peak(env, wizard)
        result.checks["memory_under_2x_of_a_tenth"] = peak < 2 * small_peak
        result.notes.append(
            f"Python memory peak: {peak:.1f} MiB for {count} rows, {small_peak:.1f} MiB for {small_count}"
        )
    return result.as_dict()


scenario(
    name="kpi_export_100k_vs_10k",
    title="XLSX export of 100,000 KPI rows vs 10,000 (time about linear, at most 12x; memory < 2x)",
    modules=("service_order_kpi",),
    ours=Side("ours", "bench.scenarios.kpi:kpi_export", label="export 100,000 rows"),
    baseline=Side(
        "ours", "bench.scenarios.kpi:kpi_export", {"rows": EXPORT_SMALL}, label="export 10,000 rows"
    ),
    # Ten times the rows, and a query over a ten times longer period of the report.
    target=12.0,
)


# ---------------------------------------------------------------------------------- capacity
def _changed_employee(env):
    """A bench technician moved to another of the bench schedules (untimed)."""
    employee = env["hr.employee"].search([("name", "like", "Technician x1-%")], order="id", limit=1)
    calendars = env["resource.calendar"].search([("name", "like", "Bench %")], order="id")
    employee.resource_calendar_id = (calendars - employee.resource_calendar_id)[0]
    env.flush_all()
    return employee


def kpi_capacity_refresh(env, scale=1.0):
    """One employee's schedule changed: their days of the capacity window recomputed."""
    employee = _changed_employee(env)
    Capacity = env["service.kpi.capacity"]
    with measure(env) as result:
        written = Capacity._refresh(employee)
    touched = Capacity.search([("refreshed_at", ">=", env.cr.now())])
    result.checks["only_that_employee"] = bool(written) and touched.employee_id == employee
    result.notes.append(f"{written} rows written for one employee, {len(touched)} rows refreshed in all")
    return result.as_dict()


def kpi_capacity_rebuild(env, scale=1.0):
    """The same change followed by a full rebuild of the table."""
    _changed_employee(env)
    with measure(env) as result:
        written = env["service.kpi.capacity"]._rebuild()
    result.notes.append(f"{written} rows written")
    return result.as_dict()


scenario(
    name="kpi_capacity_refresh_vs_rebuild",
    title="Capacity table: refresh after one employee's schedule change vs full rebuild",
    modules=("service_order_kpi",),
    ours=Side("ours", "bench.scenarios.kpi:kpi_capacity_refresh", label="_refresh(one employee)"),
    baseline=Side("ours", "bench.scenarios.kpi:kpi_capacity_rebuild", label="_rebuild()"),
    target=0.05,
)
