from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_clock_max_distance = fields.Integer(
        related="company_id.service_clock_max_distance", readonly=False
    )
