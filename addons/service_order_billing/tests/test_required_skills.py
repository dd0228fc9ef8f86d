from odoo.fields import Command
from odoo.tests import tagged

from .common import ServiceBillingCommon


@tagged("post_install", "-at_install")
class TestRequiredSkillsFromSales(ServiceBillingCommon):
    """The skills of the products sold become the required skills of the service order
    (service_order_planning reads the products through service_order_sale's hook)."""

    def test_sold_products_add_their_skills(self):
        trades = self.env["hr.skill.type"].create(
            {
                "name": "Trades",
                "skill_ids": [Command.create({"name": name}) for name in ("Gas", "Electrical", "Roofing")],
                "skill_level_ids": [Command.create({"name": "Certified", "level_progress": 100})],
            }
        )
        skills = {skill.name: skill for skill in trades.skill_ids}
        self.product_actual.service_skill_ids = skills["Gas"]
        self.product_ordered.service_skill_ids = skills["Electrical"]
        sale = self._sell(self.product_actual, 2.0)
        order = sale.service_order_ids
        self.assertEqual(order.skill_ids, skills["Gas"])
        # What the dispatcher adds stays; a product sold later adds its skills.
        order.with_user(self.dispatcher).skill_ids |= skills["Roofing"]
        sale.with_user(self.salesman).order_line = [
            Command.create({"product_id": self.product_ordered.id, "product_uom_qty": 1.0})
        ]
        self.assertEqual(order.skill_ids, trades.skill_ids)
        # Technicians read the order's skills without any right on sales.
        self.assertEqual(
            sorted(order.with_user(self.technician).skill_ids.mapped("name")),
            ["Electrical", "Gas", "Roofing"],
        )
