"""Orders finished or cancelled before 19.0.1.1.0 may still hold open assignments that block their
people: cancel them as closing the order now does. The orders' planned hours (and overbooking)
sum those of their assignments, which pre-migrate may have rounded or clipped."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["service.order"].search([("state", "in", ["done", "cancelled"])])._cancel_open_assignments()
    orders = env["service.order"].search([("assignment_ids", "!=", False)])
    for fname in ("planned_hours", "is_overbooked"):
        env.add_to_compute(orders._fields[fname], orders)
        orders.flush_recordset([fname])
