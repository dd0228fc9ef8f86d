"""The KPI pivot (`service.kpi.report`, a read-only SQL view), against a raw SQL GROUP BY over
the table it aggregates, and at ten times the data."""

from datetime import timedelta

from bench.meter import summed
from odoo import fields
from odoo.tools import SQL

from . import Side, scenario

REPEAT = 5
MEASURES = ["capacity_hours", "planned_hours", "worked_hours", "sold_hours", "cost", "revenue", "margin"]


def kpi_pivot(env, scale=1.0):
    """Per employee and month over the last quarter, every measure, as the pivot asks for it."""
    since = fields.Date.today() - timedelta(days=90)

    def run():
        return env["service.kpi.report"]._read_group(
            [("date", ">=", since)], ["employee_id", "date:month"], [f"{m}:sum" for m in MEASURES]
        )

    result, groups = summed(env, run, REPEAT)
    result.notes.append(f"{len(groups)} groups")
    return result.as_dict()


def kpi_pivot_sql(env, scale=1.0):
    """The floor: planned hours per employee and month straight from the assignments table."""
    since = fields.Date.today() - timedelta(days=90)

    def run():
        env.cr.execute(
            SQL(
                """SELECT employee_id, date_trunc('month', date_start), sum(planned_hours)
                     FROM service_assignment
                    WHERE date_start >= %s AND state != 'cancelled'
                 GROUP BY 1, 2""",
                since,
            )
        )
        return env.cr.fetchall()

    result, groups = summed(env, run, REPEAT)
    result.notes.append(f"{len(groups)} groups")
    return result.as_dict()


scenario(
    name="kpi_pivot_vs_sql",
    title="KPI pivot (employee x month, last quarter) vs raw SQL GROUP BY on assignments",
    modules=("service_order_planning", "service_order_kpi"),
    ours=Side("ours", "bench.scenarios.kpi:kpi_pivot", label="service.kpi.report _read_group"),
    baseline=Side("ours", "bench.scenarios.kpi:kpi_pivot_sql", label="raw SQL GROUP BY"),
    target=3.0,
)
scenario(
    name="kpi_pivot_growth_10x",
    title="KPI pivot with 10x the data vs 1x (linear at most, same queries)",
    modules=("service_order_planning", "service_order_kpi"),
    ours=Side("ours_x10", "bench.scenarios.kpi:kpi_pivot", label="pivot at 10x"),
    baseline=Side("ours", "bench.scenarios.kpi:kpi_pivot", label="pivot at 1x"),
    target=10.0,
    kind="growth",
    query_growth_max=1.0,
)
