from odoo import fields, models


class ServiceChecklistTemplateItem(models.Model):
    _name = "service.checklist.template.item"
    _description = "Service Checklist Template Item"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one("service.checklist.template", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True, translate=True)
    required = fields.Boolean(help="The job cannot be completed while this check is not ticked.")
