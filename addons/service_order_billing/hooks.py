def post_init_hook(env):
    """Sales confirmed before the module was installed have service orders whose sale lines
    kept the delivery method they had then: the stored method is computed again, so that their
    delivered and invoiced hours come from the orders' time like those of later sales."""
    lines = env["sale.order.line"].search([("service_order_id", "!=", False)])
    lines.modified(["service_order_id"])
    env.flush_all()
