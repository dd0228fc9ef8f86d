from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_follow_up_days = fields.Integer(
        string="First-time Fix Window (days)",
        default=30,
        help="A done order is fixed the first time when no follow-up order for its site is "
        "opened within this many days after it was resolved.",
    )

    _service_follow_up_days_range = models.Constraint(
        "CHECK(service_follow_up_days >= 0 AND service_follow_up_days <= 3650)",
        "The first-time fix window is 0 to 3650 days.",
    )
