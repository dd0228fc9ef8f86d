from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_travel_buffer = fields.Integer(related="company_id.service_travel_buffer", readonly=False)
    service_capacity_policy = fields.Selection(related="company_id.service_capacity_policy", readonly=False)
    service_max_assignment_days = fields.Integer(
        related="company_id.service_max_assignment_days", readonly=False
    )
