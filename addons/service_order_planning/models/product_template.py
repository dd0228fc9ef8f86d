from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    service_skill_ids = fields.Many2many(
        "hr.skill",
        "product_template_service_skill_rel",
        "product_tmpl_id",
        "skill_id",
        string="Required Skills",
        help="The skills a technician needs to do this service: the service orders that deliver it "
        "require them, and auto-plan only books people who have them all.",
    )
