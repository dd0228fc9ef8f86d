"""Invoicing service orders, against Odoo's invoicing of sales on timesheets (`sale_timesheet`)."""

from bench.meter import measure

from . import Side, scenario
from .planning import bench_employees, free_blocks
from .sale import _customer, _quotes, _service_product

ORDERS = 500
SMALL = 50


def _analyze(env):
    """Planner statistics of the tables both sides fill before they are measured. Without them,
    account's payment state query was once planned as if those tables were empty and took 20 to
    40 s on one side or the other, at random. ANALYZE in the transaction counts its own rows."""
    env.flush_all()
    env.cr.execute(
        "ANALYZE account_move, account_move_line, account_partial_reconcile, account_analytic_line, "
        "sale_order, sale_order_line, service_attendance, service_order"
    )


def _blocks(env, count):
    return free_blocks(env, bench_employees(env), count)


def _service_orders(env, count, blocks):
    """``count`` confirmed one-line sales of 4 hours, each with its service order worked two
    hours by a technician (one time record)."""
    product = _service_product(
        env, "Bench billed visit", generate_service_order=True, invoice_policy="delivery"
    )
    sales = _quotes(env, _customer(env), product, count, 1)
    sales.action_confirm()
    orders = sales.service_order_ids.sorted("id")
    assignments = env["service.assignment"].create(
        [
            {"service_order_id": order.id, "employee_id": employee.id, "date_start": begin, "date_end": end}
            for order, (employee, begin, end) in zip(orders, blocks, strict=True)
        ]
    )
    env["service.attendance"].create(
        [
            {
                "employee_id": assignment.employee_id.id,
                "assignment_id": assignment.id,
                "check_in": assignment.date_start,
                "check_out": assignment.date_end,
            }
            for assignment in assignments
        ]
    )
    return orders


def ours_invoice_500(env, scale=1.0):
    """500 service orders invoiced in one action_create_invoice(), one invoice per order; 50 more
    before them tell whether the queries grow per order."""
    blocks = _blocks(env, ORDERS + SMALL)
    small = _service_orders(env, SMALL, blocks[:SMALL])
    orders = _service_orders(env, ORDERS, blocks[SMALL:])
    _analyze(env)
    with measure(env) as few:
        small.action_create_invoice()
    with measure(env) as result:
        orders.action_create_invoice()
    invoices = orders.sudo().billing_line_ids.move_id
    billed = orders.attendance_ids.filtered("invoice_line_id")
    per_small, per_order = few.queries / SMALL, result.queries / ORDERS
    result.checks = {
        "one_invoice_per_order": len(invoices) == ORDERS,
        "every_record_billed": len(billed) == ORDERS,
        "queries_flat": per_order <= per_small * 1.05,
    }
    result.notes += [
        f"{len(invoices)} invoices for {ORDERS} service orders, {len(billed)} time records linked",
        f"queries per order: {per_small:.1f} for {SMALL} orders, {per_order:.1f} for {ORDERS}",
    ]
    return result.as_dict()


def sale_timesheet_invoice_500(env, scale=1.0):
    """Odoo's own: 500 one-line sales of a service invoiced on timesheets, each with a task and
    a two-hour timesheet, invoiced in one _create_invoices(), one invoice per sale."""
    project = env["project.project"].create(
        {"name": "Bench billed", "allow_billable": True, "allow_timesheets": True}
    )
    product = _service_product(
        env,
        "Bench timesheet hour",
        invoice_policy="delivery",
        service_type="timesheet",
        service_tracking="task_global_project",
        project_id=project.id,
    )
    sales = _quotes(env, _customer(env), product, ORDERS, 1)
    sales.action_confirm()
    blocks = _blocks(env, ORDERS)
    env["account.analytic.line"].create(
        [
            {
                "name": "Visit",
                "project_id": project.id,
                "task_id": line.task_id.id,
                "employee_id": employee.id,
                "date": begin.date(),
                "unit_amount": 2.0,
            }
            for line, (employee, begin, _end) in zip(sales.order_line, blocks, strict=True)
        ]
    )
    _analyze(env)
    with measure(env) as result:
        invoices = sales._create_invoices(grouped=True)
    result.notes.append(
        f"{len(invoices)} invoices for {ORDERS} sales, {result.queries / ORDERS:.1f} queries per sale"
    )
    return result.as_dict()


scenario(
    name="invoice_500_orders_vs_sale_timesheet",
    title="Invoice 500 service orders in one call vs sale_timesheet invoicing 500 sales",
    modules=("service_order_billing",),
    ours=Side("ours", "bench.scenarios.billing:ours_invoice_500", label="action_create_invoice"),
    baseline=Side("ours", "bench.scenarios.billing:sale_timesheet_invoice_500", label="_create_invoices"),
    target=0.5,
)
