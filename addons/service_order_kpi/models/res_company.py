from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The first-time fix window's bounds, in days.
FOLLOW_UP_DAYS_MAX = 3650


class ResCompany(models.Model):
    _inherit = "res.company"

    service_follow_up_days = fields.Integer(
        string="First-time Fix Window (days)",
        default=30,
        help="A done order is fixed the first time when no follow-up order for its site is "
        "opened within this many days after it was resolved.",
    )

    _service_follow_up_days_range = models.Constraint(
        f"CHECK(service_follow_up_days >= 0 AND service_follow_up_days <= {FOLLOW_UP_DAYS_MAX})",
        "The first-time fix window is 0 to 3650 days.",
    )

    @api.constrains("service_follow_up_days")
    def _check_service_follow_up_days(self):
        # The database constraint holds the bound; this says which value was refused.
        for company in self:
            if not 0 <= company.service_follow_up_days <= FOLLOW_UP_DAYS_MAX:
                raise ValidationError(
                    self.env._(
                        "The first-time fix window of %(company)s is 0 to %(max)s days, not %(days)s days.",
                        company=company.name,
                        max=FOLLOW_UP_DAYS_MAX,
                        days=company.service_follow_up_days,
                    )
                )
