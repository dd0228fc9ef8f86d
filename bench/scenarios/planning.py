"""Assignments and the capacity board, against `hr.attendance` and `resource.calendar`."""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from bench.datagen import DAYS_AHEAD
from bench.meter import fastest, measure
from odoo import fields
from odoo.tools import SQL

from . import Side, scenario

BATCH = 5000
BOARD_DAYS = 28


def bench_employees(env):
    """The employees of the 1x data, whatever was added next to them."""
    return env["hr.employee"].search([("name", "like", "Technician x1-%")], order="id")


def free_blocks(env, employees, count):
    """``count`` blocks of two hours inside the employees' working time, after the generated
    period (so free of assignments), spread evenly over the employees."""
    per_employee = -(-count // len(employees))
    start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=DAYS_AHEAD + 2)
    # Four blocks a working day, five working days a week, with margin for short schedules.
    stop = start + timedelta(days=per_employee * 7 // 8 + 14)
    blocks = []
    for calendar, staff in employees.grouped("resource_calendar_id").items():
        intervals = calendar._work_intervals_batch(
            pytz.utc.localize(start), pytz.utc.localize(stop), resources=staff.resource_id
        )
        for employee in staff:
            own = []
            for start_tz, stop_tz, _records in intervals[employee.resource_id.id]:
                begin = start_tz.astimezone(pytz.utc).replace(tzinfo=None)
                end = stop_tz.astimezone(pytz.utc).replace(tzinfo=None)
                while begin + timedelta(hours=2) <= end:
                    own.append((employee, begin, begin + timedelta(hours=2)))
                    begin += timedelta(hours=2)
            blocks += own[:per_employee]
    return blocks[:count]


def ours_assignments_5000(env, scale=1.0):
    """5,000 assignments in one create(), double booking and capacity checked."""
    employees = bench_employees(env)
    blocks = free_blocks(env, employees, BATCH)
    orders = env["service.order"].search([("state", "in", ["draft", "scheduled"])], limit=500)
    vals = [
        {"service_order_id": orders[i % len(orders)].id, "employee_id": e.id, "date_start": b, "date_end": f}
        for i, (e, b, f) in enumerate(blocks)
    ]
    with measure(env) as result:
        created = env["service.assignment"].create(vals)
    result.checks = {"all_created": len(created) == BATCH}
    result.notes.append(f"{len(created)} assignments for {len(employees)} employees")
    return result.as_dict()


def attendance_5000(env, scale=1.0):
    """5,000 `hr.attendance` records for the same people and times, in one create(), without
    its overtime engine (no overtime ruleset on the employees), as the issue's figure is."""
    employees = bench_employees(env)
    blocks = free_blocks(env, employees, BATCH)
    env["hr.version"].search([("employee_id", "in", employees.ids)]).ruleset_id = False
    vals = [{"employee_id": e.id, "check_in": b, "check_out": f} for e, b, f in blocks]
    with measure(env) as result:
        created = env["hr.attendance"].create(vals)
    result.notes.append(f"{len(created)} attendances for {len(employees)} employees, overtime rules off")
    return result.as_dict()


def _board_range(days):
    first = fields.Date.today() - timedelta(days=days // 2)
    return first, first + timedelta(days=days - 1)


def ours_board(env, scale=1.0):
    """The board for the 1x employees over 28 days; a quarter of them over 7 days must cost as
    many queries."""
    return _measure_board(env, bench_employees(env))


def ours_board_long_bookings(env, scale=1.0):
    """The same board after giving every fourth employee one 14-day assignment across the days
    shown (half of them across the first day, half across the last): the board clips bookings
    to the days shown, so it must cost about the same."""
    employees = bench_employees(env)
    first, last = _board_range(BOARD_DAYS)
    order = env["service.order"].search([("state", "in", ["draft", "scheduled"])], limit=1)
    bookings = []
    for index, employee in enumerate(employees[::4]):
        anchor = first if index % 2 == 0 else last
        start = datetime.combine(anchor, time(8)) - timedelta(days=7)
        bookings.append((employee.id, start, start + timedelta(days=14)))
    rows = SQL(", ").join(SQL("(%s, %s::timestamp, %s::timestamp)", *booking) for booking in bookings)
    env.flush_all()
    # Written directly, as the longest assignment allowed, after freeing the time it takes; the
    # driver rolls the side's work back.
    env.cr.execute(
        SQL(
            """
            UPDATE service_assignment a SET state = 'cancelled'
              FROM (VALUES %s) AS long(employee_id, date_start, date_end)
             WHERE a.employee_id = long.employee_id AND a.state != 'cancelled'
               AND tsrange(a.date_start, a.date_end) && tsrange(long.date_start, long.date_end)
            """,
            rows,
        )
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO service_assignment
                   (service_order_id, employee_id, company_id, date_start, date_end, planned_hours, state)
            SELECT %s, long.employee_id, %s, long.date_start, long.date_end, 80.0, 'confirmed'
              FROM (VALUES %s) AS long(employee_id, date_start, date_end)
            """,
            order.id,
            order.company_id.id,
            rows,
        )
    )
    env.invalidate_all()
    result = _measure_board(env, employees)
    result["notes"].append(f"{len(bookings)} employees with a 14-day assignment across the days shown")
    return result


def _measure_board(env, employees):
    first, last = _board_range(BOARD_DAYS)
    Assignment = env["service.assignment"]
    # Warm the registry caches (both sides do) so that the counts compare the steady state.
    Assignment.get_capacity_board(first, first, employee_ids=employees[:1].ids)
    small_first, small_last = _board_range(7)
    # A quarter of each schedule's staff: the same schedules, fewer people.
    fewer = employees.browse(
        [
            i
            for staff in employees.grouped("resource_calendar_id").values()
            for i in staff.ids[: -(-len(staff) // 4)]
        ]
    )
    small, _board = fastest(
        env, lambda: Assignment.get_capacity_board(small_first, small_last, employee_ids=fewer.ids)
    )
    result, board = fastest(
        env, lambda: Assignment.get_capacity_board(first, last, employee_ids=employees.ids)
    )
    result.checks = {"queries_flat": result.queries <= small.queries}
    result.notes += [
        f"{len(board['employees'])} employees x {len(board['days'])} days",
        f"queries: {small.queries} for {len(fewer)} employees x 7 days, {result.queries} for"
        f" {len(employees)} x {BOARD_DAYS}",
    ]
    return result.as_dict()


AUTO_PLAN_ORDERS = 200
AUTO_PLAN_PEOPLE = 50
AUTO_PLAN_DAYS = 14


def _auto_plan_setup(env):
    """The 50 first 1x employees, the two weeks from today, and 200 orders with hours to plan
    of their company."""
    employees = bench_employees(env)[:AUTO_PLAN_PEOPLE]
    first = fields.Date.today()
    last = first + timedelta(days=AUTO_PLAN_DAYS - 1)
    orders = env["service.order"].search(
        [
            ("state", "not in", ("done", "cancelled")),
            ("unplanned_hours", ">", 0),
            ("company_id", "=", employees[:1].company_id.id),
        ],
        limit=AUTO_PLAN_ORDERS,
        order="id",
    )
    return employees, first, last, orders


def ours_auto_plan(env, scale=1.0):
    """Auto-plan of 200 unplanned orders over 50 people and two weeks (a proposal: nothing
    written); for 20 orders it must cost as many queries."""
    employees, first, last, orders = _auto_plan_setup(env)
    Assignment = env["service.assignment"]
    Assignment.get_auto_plan(orders[:1].ids, first, first, employees[:1].ids)
    few, _plan = fastest(env, lambda: Assignment.get_auto_plan(orders[:20].ids, first, last, employees.ids))
    result, plan = fastest(env, lambda: Assignment.get_auto_plan(orders.ids, first, last, employees.ids))
    result.checks = {
        "queries_flat": result.queries <= few.queries,
        "orders_given": len(orders) == AUTO_PLAN_ORDERS,
    }
    result.notes += [
        f"{len(orders)} orders over {len(employees)} employees x {AUTO_PLAN_DAYS} days: "
        f"{len(plan['proposals'])} proposed, {len(plan['unplaced'])} not placed",
        f"queries: {few.queries} for 20 orders, {result.queries} for {len(orders)}",
    ]
    return result.as_dict()


def board_for_auto_plan(env, scale=1.0):
    """The board (with its jobs) for the same 50 people and two weeks."""
    employees, first, last, _orders = _auto_plan_setup(env)
    Assignment = env["service.assignment"]
    Assignment.get_capacity_board(first, first, employee_ids=employees[:1].ids)
    result, board = fastest(
        env, lambda: Assignment.get_capacity_board(first, last, employee_ids=employees.ids)
    )
    result.notes.append(f"{len(board['employees'])} employees x {len(board['days'])} days")
    return result.as_dict()


def work_intervals(env, scale=1.0):
    """`resource.calendar._work_intervals_batch` alone, time off included, for the same
    employees and days: one call per working schedule."""
    employees = bench_employees(env)
    first, last = _board_range(BOARD_DAYS)
    start = pytz.utc.localize(fields.Datetime.to_datetime(first))
    employees[:1].resource_calendar_id._work_intervals_batch(
        start, start + timedelta(days=1), resources=employees[:1].resource_id
    )

    def work_intervals_batch():
        by_calendar = defaultdict(lambda: env["resource.resource"])
        for employee in employees:
            by_calendar[employee.resource_calendar_id] |= employee.resource_id
        stop = pytz.utc.localize(fields.Datetime.to_datetime(last) + timedelta(days=1))
        return {
            calendar: calendar._work_intervals_batch(start, stop, resources=resources, compute_leaves=True)
            for calendar, resources in by_calendar.items()
        }

    result, per_calendar = fastest(env, work_intervals_batch)
    count = sum(len(list(i)) for intervals in per_calendar.values() for i in intervals.values())
    result.notes.append(f"{count} work intervals for {len(employees)} employees x {BOARD_DAYS} days")
    return result.as_dict()


scenario(
    name="assignments_5000_vs_attendance",
    title="Create 5,000 assignments in one create() (conflicts checked) vs 5,000 hr.attendance",
    modules=("service_order_planning",),
    ours=Side("ours", "bench.scenarios.planning:ours_assignments_5000", label="service.assignment create"),
    baseline=Side("ours", "bench.scenarios.planning:attendance_5000", label="hr.attendance create"),
    target=0.5,
)
scenario(
    name="capacity_board_vs_work_intervals",
    title="Dispatch board with its jobs, 200 employees x 28 days vs resource.calendar._work_intervals_batch",
    modules=("service_order_planning",),
    ours=Side("ours", "bench.scenarios.planning:ours_board", label="get_capacity_board"),
    baseline=Side("ours", "bench.scenarios.planning:work_intervals", label="_work_intervals_batch"),
    target=1.0,
)
scenario(
    name="auto_plan_vs_board",
    title="Auto-plan of 200 unplanned orders over 50 people x 14 days vs the board for them",
    modules=("service_order_planning",),
    ours=Side("ours", "bench.scenarios.planning:ours_auto_plan", label="get_auto_plan"),
    baseline=Side("ours", "bench.scenarios.planning:board_for_auto_plan", label="get_capacity_board"),
    target=3.0,
)
scenario(
    name="capacity_board_long_bookings",
    title="Capacity board with a 14-day assignment across the days for every 4th employee vs without",
    modules=("service_order_planning",),
    ours=Side("ours", "bench.scenarios.planning:ours_board_long_bookings", label="board, 14-day bookings"),
    baseline=Side("ours", "bench.scenarios.planning:ours_board", label="board"),
    target=1.2,
)
scenario(
    name="capacity_board_growth_10x",
    title="Capacity board (same 200 employees x 28 days) with 10x the data vs 1x",
    modules=("service_order_planning",),
    ours=Side("ours_x10", "bench.scenarios.planning:ours_board", label="board at 10x"),
    baseline=Side("ours", "bench.scenarios.planning:ours_board", label="board at 1x"),
    target=2.0,
    kind="growth",
    query_growth_max=1.0,
)
