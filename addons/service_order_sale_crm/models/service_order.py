from odoo import fields, models


class ServiceOrder(models.Model):
    _inherit = "service.order"

    opportunity_id = fields.Many2one(
        related="sale_order_id.opportunity_id", store=True, index="btree_not_null", string="Opportunity"
    )

    def _get_protected_fields(self):
        # Follows the sale; written through the related field it would relink the sale's opportunity.
        return super()._get_protected_fields() | {"opportunity_id"}

    def action_view_opportunity(self):
        self.ensure_one()
        return self.sale_order_id.action_view_opportunity()
