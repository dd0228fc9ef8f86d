from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_bill_custom = fields.Boolean(
        string="Own Billing Rounding",
        help="Round this customer's visits with its own settings instead of the company's.",
    )
    service_bill_rounding = fields.Integer(
        string="Bill per Started Minutes",
        help="Each visit is billed per started block of this many minutes. 0 bills the exact time.",
    )
    service_bill_minimum = fields.Integer(
        string="Minimum Billed per Visit (min)", help="A visit shorter than this is billed this many minutes."
    )

    _service_bill_rounding_range = models.Constraint(
        "CHECK(service_bill_rounding IS NULL OR service_bill_rounding BETWEEN 0 AND 1440)",
        "Billing is rounded per 0 to 1440 minutes.",
    )
    _service_bill_minimum_range = models.Constraint(
        "CHECK(service_bill_minimum IS NULL OR service_bill_minimum BETWEEN 0 AND 1440)",
        "The minimum billed per visit is 0 to 1440 minutes.",
    )

    def _service_billing_rules(self, company):
        """(rounding minutes, minimum minutes) for the visits of this customer in ``company``."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if partner.service_bill_custom:
            return partner.service_bill_rounding, partner.service_bill_minimum
        return company.service_bill_rounding, company.service_bill_minimum
