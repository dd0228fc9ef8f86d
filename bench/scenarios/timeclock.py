"""Clocking in, against `hr.attendance`'s own check-in (`_attendance_action_change`)."""

from bench.meter import measure
from odoo import fields

from . import Side, scenario
from .planning import bench_employees


def ours_clock_in(env, scale=1.0):
    """Each employee clocks in on their next confirmed assignment, one call per person as on the
    phone."""
    employees = bench_employees(env)
    now = fields.Datetime.now()
    upcoming = env["service.assignment"].search(
        [("employee_id", "in", employees.ids), ("state", "=", "confirmed"), ("date_end", ">", now)],
        order="employee_id, date_start",
    )
    firsts = list(upcoming.grouped("employee_id").values())
    with measure(env) as result:
        for assignments in firsts:
            assignments[0].action_clock_in()
    result.notes.append(f"{len(firsts)} technicians clocked in")
    return result.as_dict()


def attendance_check_in(env, scale=1.0):
    """Odoo's kiosk and systray check-in for the same people, one call per person."""
    employees = bench_employees(env)
    with measure(env) as result:
        for employee in employees:
            employee._attendance_action_change()
    result.notes.append(f"{len(employees)} employees checked in")
    return result.as_dict()


scenario(
    name="clock_in_vs_attendance",
    title="Clock in 200 technicians on their assignments vs hr.attendance check-in",
    modules=("service_order_planning", "service_order_timeclock"),
    ours=Side("ours", "bench.scenarios.timeclock:ours_clock_in", label="action_clock_in"),
    baseline=Side("ours", "bench.scenarios.timeclock:attendance_check_in", label="_attendance_action_change"),
    target=1.0,
)
