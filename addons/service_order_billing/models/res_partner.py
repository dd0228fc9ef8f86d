from odoo import api, fields, models
from odoo.exceptions import AccessError

# What the customer is billed per visit: a service manager's decision, not any contact editor's.
_BILLING_FIELDS = frozenset({"service_bill_custom", "service_bill_rounding", "service_bill_minimum"})


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

    @api.model
    def _commercial_fields(self):
        # The rules are the company's: contacts share them, as the view shows them on each.
        return super()._commercial_fields() + list(_BILLING_FIELDS)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_billing_rules_access({name for name, value in vals.items() if value})
            self.env["res.company"]._check_billing_minutes(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_billing_rules_access(vals.keys())
        self.env["res.company"]._check_billing_minutes(vals)
        return super().write(vals)

    @api.model
    def _check_billing_rules_access(self, field_names):
        if (
            _BILLING_FIELDS & set(field_names)
            and not self.env.su
            and not self.env.user.has_group("service_order.group_service_manager")
        ):
            raise AccessError(
                self.env._("Only service managers can change how a customer's visits are billed.")
            )

    def _service_billing_rules(self, company):
        """(rounding minutes, minimum minutes) for the visits of this customer in ``company``."""
        self.ensure_one()
        partner = self.commercial_partner_id
        if partner.service_bill_custom:
            return partner.service_bill_rounding, partner.service_bill_minimum
        return company.service_bill_rounding, company.service_bill_minimum
