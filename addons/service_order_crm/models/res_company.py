from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_request_team_id = fields.Many2one(
        "crm.team",
        check_company=True,
        help="The sales team that receives the leads of the public service request form.",
    )
