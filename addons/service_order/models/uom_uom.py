from odoo import api, models


class UomUom(models.Model):
    _inherit = "uom.uom"

    @api.model
    def _service_hour(self):
        """The hour, the unit of all service time. Looked up by the cached XML id: ``env.ref``
        would check that the record exists with a query at each call, and computes of sale lines
        call this once per batch of lines that the ORM may make of one line."""
        return self.browse(self.env["ir.model.data"]._xmlid_to_res_id("uom.product_uom_hour"))
