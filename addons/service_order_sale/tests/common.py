from odoo.addons.service_order.tests.common import ServiceOrderCommon
from odoo.fields import Command
from odoo.tests import new_test_user


class ServiceOrderSaleCommon(ServiceOrderCommon):
    """Service products in hours and days, a product that creates no service order, and a
    salesperson without any right on service orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uom_hour = cls.env.ref("uom.product_uom_hour")
        cls.uom_day = cls.env.ref("uom.product_uom_day")
        cls.product_hour = cls._create_service_product("Repair hour", cls.uom_hour, 60.0)
        cls.product_day = cls._create_service_product("Installation day", cls.uom_day, 450.0)
        cls.product_travel = cls.env["product.product"].create(
            {"name": "Travel fee", "type": "service", "list_price": 25.0, "invoice_policy": "order"}
        )
        cls.salesman = new_test_user(
            cls.env, "svc_test_salesman", "sales_team.group_sale_salesman", company_id=cls.company.id
        )

    @classmethod
    def _create_service_product(cls, name, uom, price, company=None):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "uom_id": uom.id,
                "list_price": price,
                "invoice_policy": "order",
                "generate_service_order": True,
                "company_id": company and company.id,
            }
        )

    @classmethod
    def _create_quote(cls, lines, **values):
        """A quotation for the customer, shipped to its site, with ``lines`` as (product, quantity)."""
        return cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "partner_shipping_id": cls.customer_site.id,
                "sla_policy_id": cls.sla_policy.id,
                "user_id": cls.salesman.id,
                "service_scope": "<p>Repair the heating</p>",
                "service_notes": "<p>Key at the reception</p>",
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **values,
            }
        )
