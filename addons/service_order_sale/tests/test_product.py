from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ServiceOrderSaleCommon


@tagged("post_install", "-at_install")
class TestProductGenerateServiceOrder(ServiceOrderSaleCommon):
    def test_time_services_only(self):
        self.assertTrue(self.product_hour.generate_service_order)
        self.assertTrue(self.product_day.generate_service_order)
        goods = self.env["product.template"].create({"name": "Radiator valve", "type": "consu"})
        with self.assertRaisesRegex(
            ValidationError, "Radiator valve cannot create service orders: only services"
        ):
            goods.generate_service_order = True
        with self.assertRaisesRegex(
            ValidationError, "Travel fee cannot create service orders: it is sold in Units"
        ):
            self.product_travel.generate_service_order = True
        with self.assertRaisesRegex(
            ValidationError, "Repair hour cannot create service orders: it is sold in"
        ):
            self.product_hour.uom_id = self.env.ref("uom.product_uom_unit")
