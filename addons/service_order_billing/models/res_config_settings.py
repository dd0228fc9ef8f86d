from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_bill_rounding = fields.Integer(related="company_id.service_bill_rounding", readonly=False)
    service_bill_minimum = fields.Integer(related="company_id.service_bill_minimum", readonly=False)
    service_bill_travel = fields.Boolean(related="company_id.service_bill_travel", readonly=False)
    service_upsell_mode = fields.Selection(related="company_id.service_upsell_mode", readonly=False)
    service_invoice_product_id = fields.Many2one(
        related="company_id.service_invoice_product_id", readonly=False
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["res.company"]._check_billing_minutes(vals)
        return super().create(vals_list)

    def write(self, vals):
        self.env["res.company"]._check_billing_minutes(vals)
        return super().write(vals)
