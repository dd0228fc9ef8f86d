from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    generate_service_order = fields.Boolean(
        string="Create Service Order",
        tracking=True,
        help="Confirming a quotation with this service creates a service order for its sold hours. "
        "Only for services sold in a unit of time (hours, days).",
    )

    @api.constrains("generate_service_order", "type", "uom_id")
    def _check_generate_service_order(self):
        hour = self.env["uom.uom"]._service_hour()
        for template in self.filtered("generate_service_order"):
            if template.type != "service":
                raise ValidationError(
                    self.env._(
                        "%(product)s cannot create service orders: only services can, and it is a %(type)s.",
                        product=template.display_name,
                        type=dict(template._fields["type"]._description_selection(self.env))[template.type],
                    )
                )
            if not template.uom_id._has_common_reference(hour):
                raise ValidationError(
                    self.env._(
                        "%(product)s cannot create service orders: it is sold in %(uom)s, and service "
                        "orders count hours. Sell it in a unit of time (hours, days).",
                        product=template.display_name,
                        uom=template.uom_id.name,
                    )
                )

    @api.onchange("type")
    def _onchange_type_generate_service_order(self):
        if self.type != "service":
            self.generate_service_order = False
