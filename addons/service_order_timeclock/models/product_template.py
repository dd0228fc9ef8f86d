from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    checklist_template_id = fields.Many2one(
        "service.checklist.template",
        string="Service Checklist",
        check_company=True,
        help="The checks to do on the service orders of this product.",
    )
