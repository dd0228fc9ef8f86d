from odoo import fields, models


class ServiceChecklistTemplate(models.Model):
    """A list of checks to do on a kind of job (e.g. a boiler maintenance), loaded onto the orders
    of that kind and ticked on site by the technicians."""

    _name = "service.checklist.template"
    _description = "Service Checklist Template"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Leave empty to share the template.")
    item_ids = fields.One2many("service.checklist.template.item", "template_id", string="Items", copy=True)
    item_count = fields.Integer(compute="_compute_item_count")

    def _compute_item_count(self):
        counts = dict(
            self.env["service.checklist.template.item"]._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for template in self:
            template.item_count = counts.get(template, 0)
