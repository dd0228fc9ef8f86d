"""Service orders at volume: the pivot against raw SQL, the filtered list against the peer."""

from datetime import timedelta

from bench.meter import measure, summed
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

    def run():
        return env["service.order"]._read_group(
            [("date_start", ">=", since)],
            ["state", "date_start:month"],
            ["__count", "sold_hours:sum", "worked_hours:sum", "planned_hours:sum"],
        )

    result, groups = summed(env, run, REPEAT)
    result.notes.append(f"{len(groups)} groups")
    return result.as_dict()


def orders_pivot_sql(env, scale=1.0):
    """The same figures with one hand-written GROUP BY."""
    since = fields.Datetime.now() - timedelta(days=365)

    def run():
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
        return env.cr.fetchall()

    result, groups = summed(env, run, REPEAT)
    result.notes.append(f"{len(groups)} groups")
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
    return list_pages(
        env,
        "service.order",
        spec,
        lambda states, date_from, date_to: [
            ("state", "in", states),
            ("date_start", ">=", date_from),
            ("date_start", "<", date_to),
        ],
    )


def list_pages(env, model, spec, domain):
    """For each of the list filters, the list view's call: one page of 80 rows of ``model``
    read with ``spec``, and its total count. ``domain(states, date_from, date_to)`` gives the
    model's domain for a filter. Both sides of the list comparison run through here."""
    total = 0
    with measure(env) as result:
        for states, date_from, date_to in list_filters(fields.Datetime.now()):
            page = env[model].web_search_read(
                domain(states, date_from, date_to), spec, limit=80, count_limit=100_001
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
