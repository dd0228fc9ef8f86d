from odoo.addons.service_order_sale.tests.common import ServiceOrderSaleCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestOpportunity(ServiceOrderSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.opportunity = cls.env["crm.lead"].create(
            {"name": "Heating repair", "type": "opportunity", "partner_id": cls.customer.id}
        )

    def test_revisions_and_service_order_keep_the_opportunity(self):
        quote = self._create_quote([(self.product_hour, 4)], opportunity_id=self.opportunity.id)
        quote.action_revise()
        revision = quote.next_revision_id
        self.assertEqual(revision.opportunity_id, self.opportunity)
        revision.action_confirm()
        service = revision.service_order_ids
        self.assertEqual(service.opportunity_id, self.opportunity)
        self.assertEqual(self.opportunity.service_order_count, 1)
        self.assertEqual(self.opportunity.action_view_service_orders()["res_id"], service.id)
        self.assertEqual(service.action_view_opportunity()["res_id"], self.opportunity.id)
        self.assertEqual(revision.action_view_opportunity()["res_id"], self.opportunity.id)
