from odoo import api, fields, models
from odoo.exceptions import ValidationError

# No assignment setting may allow more than a year: beyond that, one booking weighs on every
# computation of availability that touches it.
MAX_ASSIGNMENT_DAYS_CAP = 366


class ResCompany(models.Model):
    _inherit = "res.company"

    service_travel_buffer = fields.Integer(
        string="Travel Buffer (minutes)",
        default=0,
        help="Minutes required between two consecutive assignments of one employee at different sites.",
    )
    service_capacity_policy = fields.Selection(
        [("warn", "Warn"), ("block", "Refuse")],
        string="Outside Working Hours",
        default="warn",
        required=True,
        help="Whether an assignment outside the employee's working hours or on their time off is only "
        "flagged, or refused.",
    )
    service_max_assignment_days = fields.Integer(
        string="Maximum Assignment Length (days)",
        default=14,
        required=True,
        help="Longer assignments are refused: plan long jobs as several assignments.",
    )

    _service_travel_buffer_positive = models.Constraint(
        "CHECK(service_travel_buffer >= 0)", "The travel buffer cannot be negative."
    )
    _service_max_assignment_days_range = models.Constraint(
        f"CHECK(service_max_assignment_days BETWEEN 1 AND {MAX_ASSIGNMENT_DAYS_CAP})",
        f"The maximum assignment length must be between 1 and {MAX_ASSIGNMENT_DAYS_CAP} days.",
    )

    @api.constrains("service_max_assignment_days")
    def _check_service_max_assignment_days(self):
        """The same rule as the constraint above, with a message that names the refused value
        (the constraint only runs at the flush and cannot)."""
        for company in self:
            if not 0 < company.service_max_assignment_days <= MAX_ASSIGNMENT_DAYS_CAP:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the maximum assignment length must be between 1 and %(cap)s days, "
                        "not %(days)s.",
                        company=company.name,
                        cap=MAX_ASSIGNMENT_DAYS_CAP,
                        days=company.service_max_assignment_days,
                    )
                )
