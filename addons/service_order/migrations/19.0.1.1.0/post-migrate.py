"""The technicians' record rule is noupdate: databases installed before 19.0.1.1.0 keep the rule
that let following an order grant access to it. Give them the new domain."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("service_order.service_order_rule_technician", raise_if_not_found=False)
    if rule:
        rule.write(
            {
                "name": "Service order: technicians see the orders they are responsible for",
                "domain_force": "[('user_id', '=', user.id)]",
            }
        )
