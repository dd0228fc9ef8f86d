"""Service orders at volume: the pivot against raw SQL, the filtered list against the peer."""

from datetime import timedelta

from bench.meter import Measure, measure
from odoo import fields
from odoo.tools import SQL

from . import Side, scenario

REPEAT = 5
# (states of ours, date window in days from now): what a dispatcher filters on.
LIST_FILTERS = [
    (states, window)
    for states in (
        ["draft"],
        ["scheduled"],
        ["in_progress"],
        ["done"],
        ["cancelled"],
        ["scheduled", "in_progress"],
    )
    for window in ((-30, 0), (-90, 0), (0, 60), (-365, 60))
]


def list_filters(now):
    return [(states, now + timedelta(days=a), now + timedelta(days=b)) for states, (a, b) in LIST_FILTERS]


def orders_pivot(env, scale=1.0):
    """The orders pivot: hours and counts by state and month, as the web client asks for them."""
    since = fields.Datetime.now() - timedelta(days=365)
    result = Measure()
    for _i in range(REPEAT):
        with measure(env, result):
            groups = env["service.order"]._read_group(
                [("date_start", ">=", since)],
                ["state", "date_start:month"],
                ["__count", "sold_hours:sum", "worked_hours:sum", "planned_hours:sum"],
            )
    result.notes.append(f"{len(groups)} groups, {REPEAT} runs")
    return result.as_dict()


def orders_pivot_sql(env, scale=1.0):
    """The same figures with one hand-written GROUP BY."""
    since = fields.Datetime.now() - timedelta(days=365)
    result = Measure()
    for _i in range(REPEAT):
        with measure(env, result):
            env.cr.execute(
                SQL(
                    """SELECT state, date_trunc('month', date_start), count(*), sum(sold_hours),
                              sum(worked_hours), sum(planned_hours)
                         FROM service_order
                        WHERE date_start >= %s
                     GROUP BY 1, 2""",
                    since,
                )
            )
            groups = env.cr.fetchall()
    result.notes.append(f"{len(groups)} groups, {REPEAT} runs")
    return result.as_dict()


def orders_list(env, scale=1.0):
    """The list view's calls for each filter: one page of 80 rows with the total count."""
    spec = {
        "name": {},
        "partner_id": {"fields": {"display_name": {}}},
        "site_id": {"fields": {"display_name": {}}},
        "date_start": {},
        "state": {},
        "priority": {},
        "sold_hours": {},
        "user_id": {"fields": {"display_name": {}}},
    }
    Order = env["service.order"]
    total = 0
    with measure(env) as result:
        for states, date_from, date_to in list_filters(fields.Datetime.now()):
            page = Order.web_search_read(
                [("state", "in", states), ("date_start", ">=", date_from), ("date_start", "<", date_to)],
                spec,
                limit=80,
                count_limit=100_001,
            )
            total += page["length"]
    result.notes.append(f"{len(LIST_FILTERS)} filters, {total} matching rows")
    return result.as_dict()


scenario(
    name="orders_pivot_vs_sql",
    title="Service orders pivot (state x month) vs raw SQL GROUP BY",
    modules=("service_order",),
    ours=Side("ours", "bench.scenarios.orders:orders_pivot", label="service.order _read_group"),
    baseline=Side("ours", "bench.scenarios.orders:orders_pivot_sql", label="raw SQL GROUP BY"),
    target=2.0,
)
scenario(
    name="list_filter_orders_vs_peer",
    title="List and filter the orders by state and date vs OCA fsm.order",
    modules=("service_order",),
    ours=Side("ours", "bench.scenarios.orders:orders_list", label="service.order list"),
    baseline=Side("peer", "bench.scenarios.peer:peer_list", label="OCA fsm.order list"),
    target=1.0,
)
