"""Realistic service-operations data at a chosen scale, fast.

    from bench.datagen import generate
    summary = generate(env, scale=1.0)

At scale 1: 200 employees on three real working schedules (with public holidays and personal
time off), 500 customers with a service site each, 20,000 service orders and, once
`service_order_planning` is installed, 100,000 assignments laid inside each employee's working
time (no double booking, no time off), and once `service_order_timeclock` is, 1,000,000 time
records on the assignments that have begun (a travel record, then work with short breaks).
Service orders are loaded with COPY, their stored computed fields filled consistently: planned
and worked hours are the sums of their assignments and time records, SLA deadlines are counted
in working hours by the same calendar code the ORM uses, lateness flags follow. Small records
(calendars, employees, customers) go through the ORM.

Later modules plug their data in with `register_step(name, model)`: a step runs when its model
exists in the database (attendance rows, invoices, KPI facts), receiving the plan built here.
Call `generate` again with another `tag` to add more data next to what exists (the 10x scale).
"""

import math
import random
import time
from collections import defaultdict
from datetime import datetime, timedelta

import pytz

from bench.meter import bulk_load, copy_rows, required_defaults
from odoo import fields
from odoo.tools import SQL

# The 10x database holds this many times the time records of the 1x one (ten times everything
# else): three million more took 5.5 minutes to write on the shared two-core machine, nine million
# would take about 16.
X10_ATTENDANCES = 4
BASE = {
    "employees": 200,
    "customers": 500,
    "orders": 20_000,
    "assignments": 100_000,
    "attendances": 1_000_000,
}
# History of a year plus two months of future work, ending at a fixed point so that runs compare.
DAYS_BACK = 365
DAYS_AHEAD = 60
CALENDARS = [
    # name, weekdays, (hour_from, hour_to) per day, share of employees
    ("Bench 40 Hours", range(5), [(8, 12), (13, 17)], 0.7),
    ("Bench 32 Hours (Mon-Thu)", range(4), [(8, 12), (13, 17)], 0.2),
    ("Bench 20 Hours (Mornings)", range(5), [(8, 12)], 0.1),
]
TZ = "Europe/Brussels"
HOURLY_COSTS = [35.0, 40.0, 45.0, 50.0, 55.0, 60.0]
STEPS = []
RECOMPUTE_CHUNK = 20_000


def register_step(name, model):
    """Decorator: run the decorated ``function(env, plan)`` after the core data when ``model``
    exists. ``plan`` holds the generated records (see `generate`)."""

    def decorate(function):
        STEPS.append((name, model, function))
        return function

    return decorate


def counts(scale):
    return {key: max(1, round(value * scale)) for key, value in BASE.items()}


def generate(env, scale=1.0, tag="x1", seed=42, now=None, *, attendances=None):
    """Create the data and return a summary ``{what: count}``. Commit is the caller's choice.
    ``attendances``: the number of time records, when not the scale's."""
    rng = random.Random(f"{seed}-{tag}")
    wanted = counts(scale)
    if attendances is not None:
        wanted["attendances"] = attendances
    now = (now or fields.Datetime.now()).replace(minute=0, second=0, microsecond=0)
    start, stop = now - timedelta(days=DAYS_BACK), now + timedelta(days=DAYS_AHEAD)
    calendars = _calendars(env, start, stop)
    employees = _employees(env, rng, wanted["employees"], calendars, tag)
    leaves = _personal_leaves(env, rng, employees, start, stop)
    customers, sites = _customers(env, rng, wanted["customers"], tag)
    policies = _sla_policies(env, calendars[0])
    slots = _slots(rng, employees, calendars, leaves, period=(start, stop), wanted=wanted["assignments"])
    plan = {
        "rng": rng,
        "now": now,
        "tag": tag,
        "scale": scale,
        "wanted": wanted,
        "employees": employees,
        "customers": customers,
        "sites": sites,
        "policies": policies,
        "slots": slots,
    }
    plan["orders"] = _orders(env, rng, plan, wanted["orders"])
    summary = {
        "employees": len(employees),
        "customers": len(customers),
        "personal_leaves": sum(len(v) for v in leaves.values()),
        "service_orders": len(plan["orders"]),
    }
    for name, model, function in STEPS:
        if model in env:
            started = time.perf_counter()
            summary[name] = function(env, plan)
            summary[f"{name}_seconds"] = round(time.perf_counter() - started, 1)
    env.flush_all()
    return summary


# ---------------------------------------------------------------------------------- calendars
def _calendars(env, start, stop):
    """The three schedules, with the public holidays of the period as calendar-wide leaves."""
    Calendar = env["resource.calendar"]
    result = []
    for name, weekdays, hours, _share in CALENDARS:
        calendar = Calendar.search([("name", "=", name)], limit=1)
        if not calendar:
            calendar = Calendar.create(
                {
                    "name": name,
                    "tz": TZ,
                    "attendance_ids": [
                        (
                            0,
                            0,
                            {
                                "name": f"{day}-{h_from}",
                                "dayofweek": str(day),
                                "hour_from": h_from,
                                "hour_to": h_to,
                                "day_period": "morning" if h_from < 12 else "afternoon",
                            },
                        )
                        for day in weekdays
                        for h_from, h_to in hours
                    ],
                }
            )
            holidays = []
            for year in range(start.year, stop.year + 1):
                for month, day, label in [
                    (1, 1, "New Year"),
                    (5, 1, "Labour Day"),
                    (7, 21, "National Day"),
                    (8, 15, "Assumption"),
                    (11, 1, "All Saints"),
                    (11, 11, "Armistice"),
                    (12, 25, "Christmas"),
                ]:
                    local = pytz.timezone(TZ).localize(datetime(year, month, day))
                    holidays.append(
                        {
                            "name": f"{label} {year}",
                            "calendar_id": calendar.id,
                            "date_from": local.astimezone(pytz.utc).replace(tzinfo=None),
                            "date_to": (local + timedelta(days=1)).astimezone(pytz.utc).replace(tzinfo=None)
                            - timedelta(seconds=1),
                        }
                    )
            env["resource.calendar.leaves"].create(holidays)
        result.append(calendar)
    return result


def _employees(env, rng, count, calendars, tag):
    vals = []
    costed = "hourly_cost" in env["hr.employee"]._fields
    for index in range(count):
        calendar = rng.choices(calendars, [share for *_rest, share in CALENDARS])[0]
        vals.append(
            {"name": f"Technician {tag}-{index + 1:05d}", "resource_calendar_id": calendar.id, "tz": TZ}
        )
        if costed:
            # Given at creation, the cost is valid since always (a later change would start today).
            vals[-1]["hourly_cost"] = HOURLY_COSTS[index % len(HOURLY_COSTS)]
    return env["hr.employee"].create(vals)


def _personal_leaves(env, rng, employees, start, stop):
    """Two absences of one to five days per employee per year of the period."""
    vals, spans = [], defaultdict(list)
    years = max(1, round((stop - start).days / 365))
    for employee in employees:
        for _i in range(2 * years):
            day = start + timedelta(days=rng.randrange((stop - start).days - 7))
            begin = day.replace(hour=0)
            end = begin + timedelta(days=rng.randint(1, 5))
            spans[employee.id].append((begin, end))
            vals.append(
                {
                    "name": f"Time off {employee.name}",
                    "calendar_id": employee.resource_calendar_id.id,
                    "resource_id": employee.resource_id.id,
                    "date_from": begin,
                    "date_to": end,
                    "time_type": "leave",
                }
            )
    env["resource.calendar.leaves"].create(vals)
    return spans


def _customers(env, rng, count, tag):
    cities = ["Brussels", "Antwerp", "Ghent", "Liège", "Namur", "Leuven", "Mons", "Bruges"]
    customers = env["res.partner"].create(
        [
            {"name": f"Customer {tag}-{i + 1:05d}", "is_company": True, "city": rng.choice(cities)}
            for i in range(count)
        ]
    )
    sites = env["res.partner"].create(
        [
            {
                "name": f"Site {c.name}",
                "parent_id": c.id,
                "type": "delivery",
                "street": f"{rng.randint(1, 200)} Service Street",
                "city": c.city,
            }
            for c in customers
        ]
    )
    return customers, sites


def _sla_policies(env, calendar):
    Policy = env["service.sla.policy"]
    policies = Policy.search([("name", "like", "Bench %")], order="id")
    if not policies:
        policies = Policy.create(
            [
                {
                    "name": "Bench Gold",
                    "response_hours": 4,
                    "resolution_hours": 16,
                    "resource_calendar_id": calendar.id,
                },
                {
                    "name": "Bench Silver",
                    "response_hours": 8,
                    "resolution_hours": 40,
                    "resource_calendar_id": calendar.id,
                },
                {
                    "name": "Bench Bronze",
                    "response_hours": 16,
                    "resolution_hours": 80,
                    "resource_calendar_id": calendar.id,
                },
            ]
        )
    return policies


# ---------------------------------------------------------------------------------- work slots
def _utc_spans(calendar, start, stop):
    intervals = calendar._work_intervals_batch(pytz.utc.localize(start), pytz.utc.localize(stop))[False]
    return [
        (a.astimezone(pytz.utc).replace(tzinfo=None), b.astimezone(pytz.utc).replace(tzinfo=None))
        for a, b, _records in intervals
    ]


def _slots(rng, employees, calendars, leaves, *, period, wanted):
    """Blocks of two hours or more inside each employee's working time (schedule minus public
    holidays minus personal time off), chosen at random: ``wanted`` of them in all, sorted by
    start. Each becomes an assignment."""
    spans_by_calendar = {calendar: _utc_spans(calendar, *period) for calendar in calendars}
    candidates = {}
    for employee in employees:
        blocks = []
        away = leaves.get(employee.id, [])
        for span_start, span_stop in spans_by_calendar[employee.resource_calendar_id]:
            if any(a < span_stop and span_start < b for a, b in away):
                continue
            middle = span_start + (span_stop - span_start) / 2
            if middle - span_start >= timedelta(hours=2):
                blocks += [(span_start, middle), (middle, span_stop)]
            else:
                blocks.append((span_start, span_stop))
        candidates[employee] = blocks
    total = sum(len(b) for b in candidates.values())
    wanted = min(wanted, total)
    shares = {employee: wanted * len(blocks) // total for employee, blocks in candidates.items()}
    # The rounding remainder goes to the employees with the most room left.
    by_room = sorted(candidates, key=lambda e: len(candidates[e]) - shares[e], reverse=True)
    for employee in by_room[: wanted - sum(shares.values())]:
        shares[employee] += 1
    slots = [
        (begin, end, employee)
        for employee, blocks in candidates.items()
        for begin, end in rng.sample(blocks, shares[employee])
    ]
    slots.sort(key=lambda slot: (slot[0], slot[2].id))
    return slots


# ---------------------------------------------------------------------------------- orders
def _hours(begin, end):
    return (end - begin).total_seconds() / 3600.0


def _orders(env, rng, plan, count):
    """Service orders loaded with COPY; each takes a run of consecutive slots (the team that
    works on it), so its dates, planned hours and state follow from its assignments."""
    now, slots = plan["now"], plan["slots"]
    per_order = [len(slots) // count + (1 if i < len(slots) % count else 0) for i in range(count)]
    policies = [*plan["policies"], None]
    sequence = env["ir.sequence"].sudo().search([("code", "=", "service.order")], limit=1)
    names = sequence._service_next_batch(count, sequence_date=now)
    user = env.ref("base.user_admin")
    company = env.company
    rows, teams, position = [], [], 0
    for index in range(count):
        team = slots[position : position + per_order[index]]
        position += per_order[index]
        customer_index = rng.randrange(len(plan["customers"]))
        first = team[0][0] if team else now + timedelta(days=rng.randint(1, DAYS_AHEAD))
        last = max((end for _b, end, _e in team), default=first)
        date_start = first - timedelta(hours=rng.randint(2, 72))
        planned = sum(_hours(b, e) for b, e, _emp in team)
        if rng.random() < 0.03 and first < now:
            state = "cancelled"
        elif last <= now:
            state = "done"
        elif first <= now:
            state = "in_progress"
        else:
            state = "scheduled" if rng.random() < 0.7 else "draft"
        worked = (
            round(planned * rng.uniform(0.85, 1.15) * 4) / 4
            if state == "done"
            else sum(_hours(b, min(e, now)) for b, e, _emp in team if b < now)
            if state == "in_progress"
            else 0.0
        )
        sold = float(max(2, math.ceil(planned / 2) * 2 + rng.choice([0, 0, 0, 2, 4])))
        policy = rng.choice(policies)
        responded = first if state in ("scheduled", "in_progress", "done") else None
        rows.append(
            {
                "name": names[index],
                "partner_id": plan["customers"][customer_index].id,
                "site_id": plan["sites"][customer_index].id,
                "company_id": company.id,
                "user_id": user.id,
                "priority": rng.choices(["0", "1", "2"], [80, 15, 5])[0],
                "state": state,
                "scope": f"<p>Maintenance visit, {len(team)} technician slot(s)</p>",
                "date_start": date_start,
                "date_end": last if team else None,
                "sold_hours": sold,
                "planned_hours": planned if "service.assignment" in env else 0.0,
                "worked_hours": worked,
                "remaining_hours": sold - worked,
                "progress": 100.0 * worked / sold,
                "sla_policy_id": policy.id if policy else None,
                "date_response": min(responded, now) if responded and responded <= now else None,
                "date_resolved": last if state == "done" else None,
                "color": 0,
            }
        )
        teams.append((team, state))
    if "unplanned_hours" in env["service.order"]._fields:
        # service_order_planning's stored figure of the hours left to plan.
        for row in rows:
            row["unplanned_hours"] = max(row["sold_hours"] - row["planned_hours"], 0.0)
    _fill_sla(env, rows, plan["policies"])
    columns = list(rows[0])
    ids = copy_rows(env, "service.order", columns, [tuple(r[c] for c in columns) for r in rows])
    env.cr.execute(SQL("ANALYZE service_order"))
    orders = env["service.order"].browse(ids)
    plan["teams"] = list(zip(ids, teams, [r["site_id"] for r in rows], strict=True))
    return orders


def _fill_sla(env, rows, policies):
    """SLA deadlines as `service.order._compute_sla_deadlines` computes them: one batch of the
    policy calendar's working time for all orders."""
    by_policy = defaultdict(list)
    for row in rows:
        if row["sla_policy_id"]:
            by_policy[row["sla_policy_id"]].append(row)
        else:
            row.update(
                response_deadline=None,
                resolution_deadline=None,
                response_risk_date=None,
                resolution_risk_date=None,
            )
        row.setdefault("sla_response_late", False)
        row.setdefault("sla_resolution_late", False)
    for policy in policies:
        todo = by_policy.get(policy.id, [])
        if not todo:
            continue
        requests = []
        for row in todo:
            requests += [
                (row["date_start"], policy.response_hours),
                (row["date_start"], policy.resolution_hours),
            ]
        ends = policy.resource_calendar_id._service_add_working_hours(requests)
        share = policy.at_risk_percent / 100.0
        for row, response, resolution in zip(todo, ends[0::2], ends[1::2], strict=True):
            start = row["date_start"]
            row["response_deadline"] = response or None
            row["resolution_deadline"] = resolution or None
            row["response_risk_date"] = start + (response - start) * share if response else None
            row["resolution_risk_date"] = start + (resolution - start) * share if resolution else None
            row["sla_response_late"] = bool(
                row["date_response"] and response and row["date_response"] > response
            )
            row["sla_resolution_late"] = bool(
                row["date_resolved"] and resolution and row["date_resolved"] > resolution
            )


# ---------------------------------------------------------------------------------- assignments
@register_step("assignments", "service.assignment")
def _assignments(env, plan):
    """One assignment per slot, in the state its order's life implies."""
    now, company = plan["now"], env.company
    rows = []
    for order_id, (team, order_state), site_id in plan["teams"]:
        for begin, end, employee in team:
            if order_state == "cancelled":
                state = "cancelled"
            elif end <= now:
                state = "done"
            elif order_state == "draft":
                state = "planned"
            else:
                state = "confirmed"
            rows.append((order_id, employee.id, begin, end, _hours(begin, end), site_id, state, company.id))
    columns = [
        "service_order_id",
        "employee_id",
        "date_start",
        "date_end",
        "planned_hours",
        "site_id",
        "state",
        "company_id",
    ]
    # The time clock's totals: nothing is recorded yet (the attendances step sets them), so
    # the ORM need not compute them for each assignment.
    recorded = [
        name for name in ("worked_hours", "travel_hours") if name in env["service.assignment"]._fields
    ]
    if recorded:
        columns += recorded
        rows = [row + (0.0,) * len(recorded) for row in rows]
    ids = copy_rows(env, "service.assignment", columns, rows)
    local = "kpi_date" in env["service.assignment"]._fields
    recompute_stored(env, "service.assignment", ids, [*columns, "kpi_date"] if local else columns)
    if local:
        _fill_local_date(
            env, "service_assignment", "date_start", SQL("id BETWEEN %s AND %s", min(ids), max(ids))
        )
    # The orders' next visit (service_order_planning), as its compute sets it, in one statement.
    env.cr.execute(
        SQL(
            """
            UPDATE service_order o SET next_visit = a.first
              FROM (SELECT service_order_id, min(date_start) AS first FROM service_assignment
                     WHERE state IN ('planned', 'confirmed') GROUP BY service_order_id) a
             WHERE a.service_order_id = o.id
            """
        )
    )
    plan["assignment_ids"] = ids
    return len(ids)


def recompute_stored(env, model, ids, given):
    """Compute, with the ORM in batch, the stored computed fields that a COPY left empty."""
    Model = env[model]
    todo = [
        field
        for field in Model._fields.values()
        if field.store and field.compute and field.name not in given and field.name != "display_name"
    ]
    todo = [field for field in todo if not _fill_related(env, Model, field, ids, given)]
    compute_in_chunks(env, Model, todo, ids)
    env.cr.execute(SQL("ANALYZE %s", SQL.identifier(Model._table)))


def compute_in_chunks(env, Model, todo, ids):
    """Compute the stored fields ``todo`` of the records ``ids`` with the ORM, in chunks, so
    that a million rows never sit in the ORM cache at once."""
    for index in range(0, len(ids), RECOMPUTE_CHUNK):
        records = Model.browse(ids[index : index + RECOMPUTE_CHUNK])
        for field in todo:
            env.add_to_compute(field, records)
        env.flush_all()
        env.invalidate_all()


def _fill_related(env, Model, field, ids, given):
    """Fill a stored field related through one many2one that the COPY filled (``employee_id.
    department_id``) with one UPDATE; return whether it did."""
    path = (field.related or "").split(".")
    if len(path) != 2 or path[0] not in given or Model._fields[path[0]].type != "many2one":
        return False
    comodel = env[Model._fields[path[0]].comodel_name]
    target = comodel._fields.get(path[1])
    if not target or not target.store or target.type in ("many2many", "one2many") or target.translate:
        return False
    env.cr.execute(
        SQL(
            "UPDATE %s AS t SET %s = r.%s FROM %s AS r WHERE t.%s = r.id AND t.id BETWEEN %s AND %s",
            SQL.identifier(Model._table),
            SQL.identifier(field.name),
            SQL.identifier(path[1]),
            SQL.identifier(comodel._table),
            SQL.identifier(path[0]),
            min(ids),
            max(ids),
        )
    )
    return True


# ---------------------------------------------------------------------------------- time records
@register_step("attendances", "service.attendance")
def _attendances(env, plan):
    """The time clock's records on every assignment that has begun, ``attendances`` of them in
    all: each assignment, up to now, is cut into as many records as its share, the first the
    travel to the site, the others work separated by short breaks (of up to five minutes, drawn
    from a hash of the record: the same at every run). Written by one INSERT ... SELECT in
    PostgreSQL, with no row going through Python. The hours they feed (on the records,
    assignments and orders) are filled as the computes would."""
    now, assignment_ids = plan["now"], plan.get("assignment_ids")
    if not assignment_ids:
        return 0
    env.cr.execute(
        SQL(
            """SELECT count(*) FROM service_assignment
                WHERE id BETWEEN %s AND %s AND state != 'cancelled' AND date_start < %s""",
            min(assignment_ids),
            max(assignment_ids),
            now,
        )
    )
    begun_count = env.cr.fetchone()[0]
    if not begun_count:
        return 0
    share, extra = divmod(plan["wanted"]["attendances"], begun_count)
    Attendance = env["service.attendance"]
    values = {
        "employee_id": SQL("t.employee_id"),
        "assignment_id": SQL("t.id"),
        "service_order_id": SQL("t.service_order_id"),
        "company_id": SQL("t.company_id"),
        "kind": SQL("t.kind"),
        "check_in": SQL("t.begin + make_interval(secs => t.s0)"),
        "check_out": SQL("t.begin + make_interval(secs => t.s1)"),
        # As the compute: whole seconds over 3600, in floating point.
        "worked_hours": SQL("(t.s1 - t.s0)::float8 / 3600"),
        "is_invoiced": SQL("false"),
    }
    joins = []
    if "billable_hours" in Attendance._fields:
        values["billable_hours"], billing = _billable_hours_sql(env, plan)
        joins.append(billing)
    if "kpi_date" in Attendance._fields:
        # service_order_kpi's local day of the check-in, as its compute gives it.
        values["kpi_date"] = SQL(
            """((t.begin + make_interval(secs => t.s0)) AT TIME ZONE 'UTC'
                AT TIME ZONE COALESCE(zone.tz, 'UTC'))::date"""
        )
        joins.append(
            SQL(
                """JOIN hr_employee zone_employee ON zone_employee.id = t.employee_id
                   JOIN resource_resource zone ON zone.id = zone_employee.resource_id"""
            )
        )
    now_text = fields.Datetime.to_string(fields.Datetime.now())
    audit = {"create_uid": env.uid, "write_uid": env.uid, "create_date": now_text, "write_date": now_text}
    defaults = required_defaults(env, "service.attendance", set(values) | set(audit))
    values.update({name: SQL("%s", value) for name, value in {**audit, **defaults}.items()})
    # The begun assignments, each with its number of records: the first ``extra`` one more.
    begun = SQL(
        """SELECT a.id, a.service_order_id, a.employee_id, a.company_id, a.date_start AS begin,
                  extract(epoch FROM LEAST(a.date_end, %(now)s) - a.date_start)::bigint AS seconds,
                  %(share)s + CASE WHEN row_number() OVER (ORDER BY a.id) <= %(extra)s THEN 1 ELSE 0 END
                      AS pieces
             FROM service_assignment a
            WHERE a.id BETWEEN %(first)s AND %(last)s AND a.state != 'cancelled'
              AND a.date_start < %(now)s""",
        now=now,
        share=share,
        extra=extra,
        first=min(assignment_ids),
        last=max(assignment_ids),
    )
    with bulk_load(env, "service_attendance"):
        env.cr.execute(
            SQL(
                """
                INSERT INTO service_attendance (%(columns)s)
                SELECT %(values)s
                  FROM (SELECT c.*, c.e0 - CASE WHEN c.p < c.pieces - 1
                                                THEN mod(abs(hashint8(c.id * 1024 + c.p)::bigint),
                                                         LEAST(300, (c.e0 - c.s0) / 5) + 1)
                                                ELSE 0 END AS s1
                          FROM (SELECT b.*, p,
                                       CASE WHEN p = 0 AND b.pieces > 1 THEN 'travel' ELSE 'work' END AS kind,
                                       b.seconds * p / b.pieces AS s0, b.seconds * (p + 1) / b.pieces AS e0
                                  FROM (%(begun)s) b
                            CROSS JOIN generate_series(0, b.pieces - 1) AS p) c) t
                %(joins)s
                """,
                columns=SQL(", ").join(SQL.identifier(name) for name in values),
                values=SQL(", ").join(values.values()),
                begun=begun,
                joins=SQL(" ").join(joins),
            )
        )
        count = env.cr.rowcount
    env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) - %s FROM service_attendance", count))
    before = env.cr.fetchone()[0]
    computed = [
        name
        for name, field in Attendance._fields.items()
        if field.store and field.compute and name not in values and name != "display_name"
    ]
    if computed:
        recompute_stored(env, "service.attendance", range(before + 1, before + count + 1), list(values))
    _attendance_totals(env, SQL("id > %s", before))
    return count


def _fill_local_date(env, table, column, where):
    """service_order_kpi's ``kpi_date``: the day of ``column`` in the employee's time zone, as its
    compute (and its install hook) gives it."""
    env.cr.execute(
        SQL(
            """UPDATE %(table)s AS record
                  SET kpi_date = ((record.%(column)s AT TIME ZONE 'UTC')
                                  AT TIME ZONE COALESCE(resource.tz, 'UTC'))::date
                 FROM hr_employee employee
                 JOIN resource_resource resource ON resource.id = employee.resource_id
                WHERE employee.id = record.employee_id AND record.%(where)s""",
            table=SQL.identifier(table),
            column=SQL.identifier(column),
            where=where,
        )
    )


def _billable_hours_sql(env, plan):
    """(expression, joins): the billable hours of a record ``t`` the way service_order_billing
    computes them: the customer's rounding and minimum per visit, travel only when the company
    bills it, rounded to the unit's digits."""
    company = env.company
    rules = {customer.id: customer._service_billing_rules(company) for customer in plan["customers"]}
    digits = env["decimal.precision"].precision_get("Product Unit")
    joins = SQL(
        """JOIN service_order o ON o.id = t.service_order_id
           LEFT JOIN unnest(%s::int[], %s::int[], %s::int[]) AS rule(partner_id, rounding, minimum)
                  ON rule.partner_id = o.partner_id
           CROSS JOIN LATERAL (
               SELECT CASE WHEN COALESCE(rule.rounding, 0) > 0
                           THEN ceil((t.s1 - t.s0) / 60.0 / rule.rounding - 1e-9) * rule.rounding
                           ELSE (t.s1 - t.s0) / 60.0 END AS minutes) billed""",
        list(rules),
        [rounding for rounding, _minimum in rules.values()],
        [minimum for _rounding, minimum in rules.values()],
    )
    expression = SQL(
        """CASE WHEN t.s1 = t.s0 OR (t.kind = 'travel' AND NOT %s) THEN 0.0
                ELSE round(CASE WHEN t.kind = 'work' THEN GREATEST(billed.minutes, COALESCE(rule.minimum, 0))
                                ELSE billed.minutes END / 60.0, %s) END""",
        bool(company.service_bill_travel),
        digits,
    )
    return expression, joins


def _attendance_totals(env, new):
    """The stored totals of the assignments and orders whose records were just loaded (all of
    their records: a generation only records time on its own new assignments), and each order's
    response, the first arrival on site."""
    env.cr.execute(
        SQL(
            """
            UPDATE service_assignment a
               SET worked_hours = s.work, travel_hours = s.travel
              FROM (SELECT assignment_id,
                           COALESCE(sum(worked_hours) FILTER (WHERE kind = 'work'), 0) AS work,
                           COALESCE(sum(worked_hours) FILTER (WHERE kind = 'travel'), 0) AS travel
                      FROM service_attendance WHERE %s GROUP BY assignment_id) s
             WHERE a.id = s.assignment_id
            """,
            new,
        )
    )
    Order = env["service.order"]
    billing = SQL(", billable_hours = s.billable") if "billable_hours" in Order._fields else SQL()
    env.cr.execute(
        SQL(
            """
            UPDATE service_order o
               SET worked_hours = s.work,
                   travel_hours = s.travel,
                   remaining_hours = o.sold_hours - s.work,
                   progress = CASE WHEN o.sold_hours != 0 THEN 100.0 * s.work / o.sold_hours ELSE 0 END,
                   date_response = COALESCE(s.arrival, o.date_response),
                   sla_response_late =
                       COALESCE(COALESCE(s.arrival, o.date_response) > o.response_deadline, false)
                   %s
              FROM (SELECT service_order_id,
                           COALESCE(sum(worked_hours) FILTER (WHERE kind = 'work'), 0) AS work,
                           COALESCE(sum(worked_hours) FILTER (WHERE kind = 'travel'), 0) AS travel,
                           min(check_in) FILTER (WHERE kind = 'work') AS arrival,
                           sum(%s) AS billable
                      FROM service_attendance WHERE %s GROUP BY service_order_id) s
             WHERE o.id = s.service_order_id
            """,
            billing,
            SQL("billable_hours") if billing else SQL("0"),
            new,
        )
    )
    # Orders with nothing recorded (future or cancelled work) have worked nothing.
    env.cr.execute(
        SQL(
            """UPDATE service_order o SET worked_hours = 0, travel_hours = 0,
                      remaining_hours = sold_hours, progress = 0
                WHERE o.worked_hours != 0
                  AND NOT EXISTS (SELECT 1 FROM service_attendance a WHERE a.service_order_id = o.id)"""
        )
    )
    env.cr.execute(SQL("ANALYZE service_attendance"))
    env.cr.execute(SQL("ANALYZE service_assignment"))
    env.cr.execute(SQL("ANALYZE service_order"))


# ---------------------------------------------------------------------------------- KPI facts
@register_step("kpi_facts", "service.kpi.capacity")
def _kpi_facts(env, plan):
    """The order figures service_order_kpi stores for its report (visits counted in SQL, the
    others computed by the ORM); the employees' hourly costs are given at their creation and
    the capacity table is kept by the module. Returns the number of capacity rows of the
    generated employees."""
    # The capacity table follows the employees, schedules and time off created through the ORM
    # above (service_order_kpi refreshes it when they change): it is complete already.
    capacity = env["service.kpi.capacity"].search_count([("employee_id", "in", plan["employees"].ids)])
    order_ids = plan["orders"].ids
    Order = env["service.order"]
    if "service_visit_count" in Order._fields:
        # The days with work on site, in each technician's time zone, as the compute counts them.
        env.cr.execute(
            SQL(
                """
                UPDATE service_order o SET service_visit_count = (
                       SELECT count(DISTINCT ((a.check_in AT TIME ZONE 'UTC')
                                              AT TIME ZONE COALESCE(r.tz, 'UTC'))::date)
                         FROM service_attendance a
                         JOIN hr_employee e ON e.id = a.employee_id
                         JOIN resource_resource r ON r.id = e.resource_id
                        WHERE a.service_order_id = o.id AND a.kind = 'work')
                 WHERE o.id BETWEEN %s AND %s
                """,
                min(order_ids),
                max(order_ids),
            )
        )
    todo = [
        field
        for field in Order._fields.values()
        if field.store
        and field.compute
        and getattr(field, "_module", None) == "service_order_kpi"
        and field.name != "service_visit_count"
    ]
    compute_in_chunks(env, Order, todo, order_ids)
    env.cr.execute(SQL("ANALYZE service_kpi_capacity"))
    env.cr.execute(SQL("ANALYZE service_order"))
    return capacity
