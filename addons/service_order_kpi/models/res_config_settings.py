from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_follow_up_days = fields.Integer(related="company_id.service_follow_up_days", readonly=False)
