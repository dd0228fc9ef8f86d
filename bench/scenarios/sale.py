"""Sales that generate service orders, against Odoo's `sale_project` and the OCA peer."""

from bench.meter import Measure, measure

from . import Side, scenario

SALES = 500
LINES = 100
SMALL_SALES = 50


def _customer(env):
    return env["res.partner"].search([("name", "like", "Customer x1-%"), ("is_company", "=", True)], limit=1)


def _service_product(env, name, **vals):
    return env["product.product"].create(
        {
            "name": name,
            "type": "service",
            "uom_id": env.ref("uom.product_uom_hour").id,
            "list_price": 75.0,
            "invoice_policy": "order",
            **vals,
        }
    )


def _quotes(env, partner, product, count, lines, **vals):
    return env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 4.0}) for _j in range(lines)
                ],
                **vals,
            }
            for _i in range(count)
        ]
    )


def ours_quote_100_lines(env, scale=1.0):
    product = _service_product(env, "Bench hourly service", generate_service_order=True)
    quote = _quotes(env, _customer(env), product, 1, LINES)
    with measure(env) as result:
        quote.action_confirm()
    result.notes.append(f"{len(quote.service_order_ids)} service order(s) for {LINES} lines")
    return result.as_dict()


def sale_project_quote_100_lines(env, scale=1.0):
    """Odoo's own generation: one task per line in an existing project (`task_global_project`)."""
    project = env["project.project"].create({"name": "Bench services", "allow_billable": True})
    product = _service_product(
        env, "Bench hourly task", service_tracking="task_global_project", project_id=project.id
    )
    quote = _quotes(env, _customer(env), product, 1, LINES)
    with measure(env) as result:
        quote.action_confirm()
    result.notes.append(f"{len(quote.order_line.task_id)} tasks for {LINES} lines")
    return result.as_dict()


def ours_500_sales(env, scale=1.0):
    """500 one-line sales confirmed in one call; 50 more tell whether queries grow per order."""
    product = _service_product(env, "Bench visit", generate_service_order=True)
    partner = _customer(env)
    small = _quotes(env, partner, product, SMALL_SALES, 1)
    with measure(env) as few:
        small.action_confirm()
    sales = _quotes(env, partner, product, SALES, 1)
    with measure(env) as result:
        sales.action_confirm()
    generated = len(sales.service_order_ids)
    per_order = (result.queries - few.queries) / (SALES - SMALL_SALES)
    result.checks = {"one_order_per_sale": generated == SALES, "queries_flat": per_order < 1.0}
    result.notes += [
        f"{generated} service orders from {SALES} sales in one action_confirm()",
        f"queries: {few.queries} for {SMALL_SALES} sales, {result.queries} for {SALES}:"
        f" {per_order:.2f} more per order (target < 1)",
    ]
    return result.as_dict()


def peer_500_sales(env, scale=1.0):
    """The peer: `field_service_tracking` on the product, an `fsm_location_id` on each sale, and
    the sales confirmed one by one, since its `action_confirm()` refuses several at once."""
    product = _service_product(env, "Bench FSM visit", field_service_tracking="sale")
    location = env["fsm.location"].search([], limit=1)
    sales = _quotes(env, location.partner_id, product, SALES + 2, 1, fsm_location_id=location.id)
    probe, sales = sales[:2], sales[2:]
    result = Measure()
    try:
        with env.cr.savepoint():
            probe.action_confirm()
        result.notes.append("confirming 2 sales in one action_confirm() worked")
    except ValueError as error:
        result.notes.append(
            f"confirming 2 sales in one action_confirm() fails ({error}): confirmed one by one"
        )
    with measure(env, result):
        for sale in sales:
            sale.action_confirm()
    generated = env["fsm.order"].search_count([("sale_id", "in", sales.ids)])
    result.notes.append(
        f"{generated} FSM orders from {SALES} sales, {result.queries / SALES:.1f} queries per order"
    )
    return result.as_dict()


scenario(
    name="quote_100_lines_vs_sale_project",
    title="Confirm a quote of 100 service lines vs sale_project task generation",
    modules=("service_order_sale",),
    ours=Side("ours", "bench.scenarios.sale:ours_quote_100_lines", label="service order generation"),
    baseline=Side("ours", "bench.scenarios.sale:sale_project_quote_100_lines", label="sale_project tasks"),
    target=0.25,
)
scenario(
    name="generate_500_sales_vs_peer",
    title="Service orders from 500 confirmed sales vs OCA fieldservice_sale",
    modules=("service_order_sale",),
    ours=Side("ours", "bench.scenarios.sale:ours_500_sales", label="one action_confirm()"),
    baseline=Side("peer", "bench.scenarios.sale:peer_500_sales", label="OCA, one by one"),
    target=0.25,
)
