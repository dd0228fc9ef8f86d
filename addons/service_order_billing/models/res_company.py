from odoo import fields, models


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
