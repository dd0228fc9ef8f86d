from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """The Service settings page. Each module of the suite adds its block to the app declared
    here; the first block installs the parts of the suite."""

    _inherit = "res.config.settings"

    module_service_order_crm = fields.Boolean(string="Lead Capture")
    module_service_order_sale = fields.Boolean(string="Quotes")
    module_service_order_planning = fields.Boolean(string="Planning")
    module_service_order_timeclock = fields.Boolean(string="Time Clock")
