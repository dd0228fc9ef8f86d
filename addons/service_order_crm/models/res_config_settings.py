from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_request_team_id = fields.Many2one(related="company_id.service_request_team_id", readonly=False)
