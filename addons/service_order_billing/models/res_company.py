import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The company's and the customers' rules share these names, and the settings' fields too.
BILLING_MINUTE_FIELDS = ("service_bill_rounding", "service_bill_minimum")
MAX_BILLING_MINUTES = 1440


class ResCompany(models.Model):
    _inherit = "res.company"

    service_bill_rounding = fields.Integer(
        string="Bill per Started Minutes",
        default=0,
        help="Each visit is billed per started block of this many minutes (15: 50 minutes are "
        "billed as 1 hour). 0 bills the exact time.",
    )
    service_bill_minimum = fields.Integer(
        string="Minimum Billed per Visit (min)",
        default=0,
        help="A visit shorter than this is billed this many minutes.",
    )
    service_bill_travel = fields.Boolean(
        string="Bill Travel Time",
        help="Travel to the site recorded by the time clock is billed like work.",
    )
    service_invoice_product_id = fields.Many2one(
        "product.product",
        string="Product for Orders without a Sale",
        domain="[('type', '=', 'service'), ('sale_ok', '=', True), ('company_id', 'in', [False, id])]",
        help="Service orders taken without a quotation are invoiced as a sale of this product, "
        "made when they are first invoiced, for their billable hours.",
    )
    service_upsell_mode = fields.Selection(
        [("raise", "Raise the sold quantity"), ("line", "Add an upsell line")],
        string="Approved Extra Hours",
        default="raise",
        required=True,
        help="How approving the extra hours of an order changes its sale.",
    )

    _service_bill_rounding_range = models.Constraint(
        "CHECK(service_bill_rounding >= 0 AND service_bill_rounding <= 1440)",
        "Billing is rounded per 0 to 1440 minutes.",
    )
    _service_bill_minimum_range = models.Constraint(
        "CHECK(service_bill_minimum >= 0 AND service_bill_minimum <= 1440)",
        "The minimum billed per visit is 0 to 1440 minutes.",
    )

    @api.constrains("service_invoice_product_id")
    def _check_service_invoice_product(self):
        """The product's domain binds the settings form only: its hours are sold as this product."""
        hour = self.env["uom.uom"]._service_hour()
        for company in self.filtered("service_invoice_product_id"):
            product = company.service_invoice_product_id
            if product.type != "service" or not product.uom_id._has_common_reference(hour):
                raise ValidationError(
                    self.env._(
                        "%(product)s cannot invoice the service orders taken without a quotation: they "
                        "are invoiced as a service sold in a unit of time (hours, days), and it is a "
                        "%(type)s sold in %(uom)s.",
                        product=product.display_name,
                        type=dict(product._fields["type"]._description_selection(self.env))[product.type],
                        uom=product.uom_id.name,
                    )
                )
            if product.company_id not in (company, self.env["res.company"]):
                raise ValidationError(
                    self.env._(
                        "%(product)s belongs to %(other)s: it cannot invoice the service orders of "
                        "%(company)s.",
                        product=product.display_name,
                        other=product.company_id.name,
                        company=company.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_billing_minutes(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_billing_minutes(vals)
        return super().write(vals)

    @api.model
    def _check_billing_minutes(self, vals):
        """The rounding and minimum in ``vals`` are whole minutes within a day. Checked before
        the ORM converts them: it would cut 7.5 to 7, and fail on text or a huge number with a
        raw error instead of the database constraint's message."""
        for name in BILLING_MINUTE_FIELDS:
            value = vals.get(name)
            if value is None or value is False:
                continue
            if isinstance(value, bool):
                # True is an int to Python, and would be read as one minute.
                minutes = None
            elif isinstance(value, str):
                minutes = int(value) if value.strip().lstrip("-").isdigit() else None
            elif isinstance(value, int | float) and math.isfinite(value) and float(value).is_integer():
                minutes = value
            else:
                minutes = None
            if minutes is None or not 0 <= minutes <= MAX_BILLING_MINUTES:
                raise ValidationError(
                    self.env._(
                        "%(setting)s is a whole number of minutes from 0 to %(max)s, not “%(value)s”.",
                        setting=self.env["res.company"]._fields[name].string,
                        max=MAX_BILLING_MINUTES,
                        value=str(value),
                    )
                )
