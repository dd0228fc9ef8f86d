from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_view_opportunity(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.opportunity_id.id,
            "views": [(False, "form")],
            "name": self.opportunity_id.name,
        }
