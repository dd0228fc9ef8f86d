"""The time clock as phones use it: over HTTP, against a real Odoo server with 2 workers.

- `clock_http_vs_attendance`: 20 phones at once each clock in and out 5 times; p95 latency of
  those requests against Odoo's own systray check-in/out (`/hr_attendance/systray_check_in_out`)
  for the same people, on no overtime ruleset. Every record must arrive exactly once.
- `sync_500_vs_single`: a phone that was offline sends its 500 queued events in one request,
  against the same 500 events sent one request each.

Each side starts its own server on the benchmark database, commits the logins it needs, and puts
back everything it changed (time records, order and assignment states, logins), so that the other
scenarios find the generated data as it was.
"""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import closing, contextmanager
from datetime import timedelta
from pathlib import Path

import requests

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import config

from . import Side, scenario
from .planning import bench_employees

CLIENTS = 20
ROUNDS = 5
WORKERS = 2
SYNC_EVENTS = 500
PASSWORD = "bench-clock-1"
# Tables whose rows the phones add; the sides delete what they added.
ADDED = ("service_attendance_event", "service_attendance", "hr_attendance")


# ------------------------------------------------------------------------------- fixtures
@contextmanager
def committed(env):
    """An environment on a cursor of its own, committed on exit: the server must see it."""
    with env.registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})
        cr.commit()  # pylint: disable=invalid-commit


def phones(bench_env, count):
    """``count`` technicians with a login each and their next confirmed assignment, plus a
    snapshot of what clocking changes, to put back afterwards."""
    with committed(bench_env) as env:
        now = fields.Datetime.now()
        employees = bench_employees(env)[:count]
        group = env.ref("service_order.group_service_technician")
        jobs = []
        for index, employee in enumerate(employees):
            login = f"bench_phone_{index}"
            user = env["res.users"].with_context(active_test=False).search([("login", "=", login)])
            if not user:
                user = env["res.users"].create(
                    {"name": employee.name, "login": login, "group_ids": [(6, 0, [group.id])]}
                )
            user.write({"password": PASSWORD, "active": True, "tz": "UTC"})
            assignment = env["service.assignment"].search(
                [("employee_id", "=", employee.id), ("state", "=", "confirmed"), ("date_end", ">", now)],
                order="date_start",
                limit=1,
            )
            jobs.append(
                {"login": login, "employee": employee.id, "user": user.id, "assignment": assignment.id}
            )
        # The systray's check-in without the overtime engine, as the issue measures it.
        env["hr.version"].search([("employee_id", "in", employees.ids)]).ruleset_id = False
        orders = env["service.assignment"].browse([job["assignment"] for job in jobs]).service_order_id
        cr = env.cr
        cr.execute("SELECT id, user_id FROM hr_employee WHERE id = ANY(%s)", [employees.ids])
        links = cr.fetchall()
        cr.execute("SELECT id, state, date_response FROM service_order WHERE id = ANY(%s)", [orders.ids])
        order_rows = cr.fetchall()
        marks = {}
        for table in ADDED:
            cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            marks[table] = cr.fetchone()[0]
        for job in jobs:
            env["hr.employee"].browse(job["employee"]).user_id = job["user"]
    return jobs, {"links": links, "orders": order_rows, "marks": marks}


def restore(bench_env, snapshot):
    with committed(bench_env) as env:
        cr = env.cr
        for table in ADDED:
            cr.execute(f"DELETE FROM {table} WHERE id > %s", [snapshot["marks"][table]])
        for order_id, state, date_response in snapshot["orders"]:
            cr.execute(
                "UPDATE service_order SET state = %s, date_response = %s, worked_hours = 0, travel_hours = 0"
                " WHERE id = %s",
                [state, date_response, order_id],
            )
        cr.execute(
            "UPDATE service_assignment SET worked_hours = 0, travel_hours = 0 WHERE employee_id = ANY(%s)",
            [[employee_id for employee_id, _user in snapshot["links"]]],
        )
        for employee_id, user_id in snapshot["links"]:
            cr.execute("UPDATE hr_employee SET user_id = %s WHERE id = %s", [user_id, employee_id])


# ------------------------------------------------------------------------------- the server
def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(env):
    """An Odoo server with ``WORKERS`` workers on the benchmark database."""
    port = free_port()
    command = [
        sys.executable,
        str(Path(os.environ.get("ODOO_SRC", "/opt/odoo19")) / "odoo-bin"),
        "-c",
        config.rcfile,
        "-d",
        env.cr.dbname,
        "--db-filter",
        f"^{env.cr.dbname}$",
        "--addons-path",
        ",".join(config["addons_path"]),
        "--workers",
        str(WORKERS),
        "--max-cron-threads",
        "0",
        "--http-port",
        str(port),
        "--gevent-port",
        str(free_port()),
        "--log-level",
        "warn",
        # Throughput, not the limits of a production worker, is measured.
        "--limit-time-real",
        "600",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}/web/health", timeout=2).ok:
                    break
            except requests.RequestException:
                # Not listening yet, or still loading the registry.
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the benchmark's Odoo server did not start")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


class Phone:
    def __init__(self, url, db, login):
        self.url = url
        self.session = requests.Session()
        self.jsonrpc("/web/session/authenticate", {"db": db, "login": login, "password": PASSWORD})

    def jsonrpc(self, path, params):
        """POST a JSON-RPC call; returns (seconds, result). A server error raises."""
        started = time.perf_counter()
        response = self.session.post(
            f"{self.url}{path}", json={"jsonrpc": "2.0", "method": "call", "params": params}, timeout=120
        )
        seconds = time.perf_counter() - started
        body = response.json()
        if "error" in body:
            raise RuntimeError(body["error"].get("data", {}).get("message") or body["error"])
        return seconds, body["result"]

    def call(self, model, method, args):
        return self.jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": {}},
        )


def run_phones(url, db, jobs, round_trip):
    """Every phone logs in, then does ``ROUNDS`` round trips at once with the others; returns the
    latency of every request and the errors."""
    latencies, errors = [], []
    lock = threading.Lock()
    ready = threading.Barrier(len(jobs))

    def phone(job):
        try:
            client = Phone(url, db, job["login"])
            # A first round trip loads each worker's registry and caches: not what a phone
            # waits for on the hundredth tap of the day.
            round_trip(client, job)
            time.sleep(1.0)
            ready.wait(timeout=60)
            for _round in range(ROUNDS):
                seconds = round_trip(client, job)
                with lock:
                    latencies.extend(seconds)
                # Two taps of one technician are seconds apart, not microseconds.
                time.sleep(1.0)
        except Exception as error:  # reported in the notes, and fails the check
            with lock:
                errors.append(f"{job['login']}: {error}")

    threads = [threading.Thread(target=phone, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return latencies, errors


def latency_result(latencies, errors, created, expected, label):
    ordered = sorted(latencies)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else None
    return {
        "seconds": round(p95, 4) if p95 else None,
        "queries": None,
        "notes": [
            f"{len(ordered)} requests from {CLIENTS} phones, {WORKERS} workers: "
            f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms"
            if ordered
            else "no request answered",
            f"{label}: {created} records for {expected} round trips (one a phone to warm up)",
            *errors[:5],
        ],
        "checks": {"no_error": not errors, "each_record_once": created == expected},
    }


# ------------------------------------------------------------------------------- the sides
def ours_clock_http(env, scale=1.0):
    jobs, snapshot = phones(env, CLIENTS)
    try:
        with server(env) as url:

            def round_trip(client, job):
                ids = [[job["assignment"]]]
                return [
                    client.call("service.assignment", method, ids)[0]
                    for method in ("action_clock_in", "action_clock_out")
                ]

            latencies, errors = run_phones(url, env.cr.dbname, jobs, round_trip)
        with committed(env) as check_env:
            records = check_env["service.attendance"].search(
                [
                    ("employee_id", "in", [job["employee"] for job in jobs]),
                    ("id", ">", snapshot["marks"]["service_attendance"]),
                ]
            )
            open_records = records.filtered(lambda r: not r.check_out)
            created = len(records) if not open_records else -len(open_records)
    finally:
        restore(env, snapshot)
    return latency_result(latencies, errors, created, CLIENTS * (ROUNDS + 1), "service.attendance")


def attendance_systray_http(env, scale=1.0):
    jobs, snapshot = phones(env, CLIENTS)
    try:
        with server(env) as url:

            def round_trip(client, job):
                return [client.jsonrpc("/hr_attendance/systray_check_in_out", {})[0] for _tap in range(2)]

            latencies, errors = run_phones(url, env.cr.dbname, jobs, round_trip)
        with committed(env) as check_env:
            records = check_env["hr.attendance"].search(
                [
                    ("employee_id", "in", [job["employee"] for job in jobs]),
                    ("id", ">", snapshot["marks"]["hr_attendance"]),
                ]
            )
            created = len(records) if all(records.mapped("check_out")) else -1
    finally:
        restore(env, snapshot)
    return latency_result(latencies, errors, created, CLIENTS * (ROUNDS + 1), "hr.attendance")


def offline_events(job, count, start):
    """``count`` events of a phone offline from ``start``: arrive and clock out, five seconds
    apart."""
    return [
        {
            "key": f"bench-{job['login']}-{index}",
            "assignment_id": job["assignment"],
            "action": "arrive" if index % 2 == 0 else "clock_out",
            "at": fields.Datetime.to_string(start + timedelta(seconds=5 * index)),
        }
        for index in range(count)
    ]


def offline_start(env, employee_id, count):
    """When the offline events can start: after the employee's last time record (the bench fills
    their past with them, and a record opened before another one would overlap it), and early
    enough for all ``count`` of them to be in the past."""
    env.cr.execute(
        "SELECT MAX(COALESCE(check_out, check_in)) FROM service_attendance WHERE employee_id = %s",
        [employee_id],
    )
    now = fields.Datetime.now().replace(microsecond=0)
    last = env.cr.fetchone()[0] or now - timedelta(days=1)
    start = max(last, now - timedelta(days=13)) + timedelta(minutes=1)
    if start + timedelta(seconds=5 * count) > now:
        raise RuntimeError(f"no room for {count} offline events between {start} and {now}")
    return start


def sync_side(env, one_request):
    jobs, snapshot = phones(env, 1)
    job = jobs[0]
    events = offline_events(job, SYNC_EVENTS, offline_start(env, job["employee"], SYNC_EVENTS))
    try:
        with server(env) as url:
            phone = Phone(url, env.cr.dbname, job["login"])
            started = time.perf_counter()
            if one_request:
                answers = phone.jsonrpc("/service/timeclock/sync", {"events": events})[1]
            else:
                answers = [
                    phone.jsonrpc("/service/timeclock/sync", {"events": [event]})[1][0] for event in events
                ]
            seconds = time.perf_counter() - started
        accepted = sum(answer["status"] == "accepted" for answer in answers)
        with committed(env) as check_env:
            created = check_env["service.attendance"].search_count(
                [("employee_id", "=", job["employee"]), ("id", ">", snapshot["marks"]["service_attendance"])]
            )
    finally:
        restore(env, snapshot)
    return {
        "seconds": round(seconds, 4),
        "queries": None,
        "notes": [
            f"{SYNC_EVENTS} events {'in one request' if one_request else 'one request each'}: "
            f"{accepted} accepted, {created} time records"
        ],
        "checks": {"all_accepted": accepted == SYNC_EVENTS, "records": created == SYNC_EVENTS // 2},
    }


def ours_sync_batch(env, scale=1.0):
    return sync_side(env, one_request=True)


def ours_sync_single(env, scale=1.0):
    return sync_side(env, one_request=False)


scenario(
    name="clock_http_vs_attendance",
    title=f"p95 of clock in/out over HTTP, {CLIENTS} phones, {WORKERS} workers vs hr_attendance systray",
    modules=("service_order_timeclock",),
    ours=Side("ours", "bench.scenarios.timeclock_http:ours_clock_http", label="action_clock_in/out"),
    baseline=Side(
        "ours", "bench.scenarios.timeclock_http:attendance_systray_http", label="systray_check_in_out"
    ),
    target=1.0,
)

scenario(
    name="sync_500_vs_single",
    title=f"{SYNC_EVENTS} offline clock events in one sync request vs one request each",
    modules=("service_order_timeclock",),
    ours=Side("ours", "bench.scenarios.timeclock_http:ours_sync_batch", label="one request"),
    baseline=Side("ours", "bench.scenarios.timeclock_http:ours_sync_single", label="500 requests"),
    target=0.2,
)
