from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_clock_max_distance = fields.Integer(
        string="Clock-in Distance (m)",
        default=500,
        help="A clock event recorded farther than this from the site's coordinates is flagged for "
        "the dispatcher. It is never refused: phones' positions can be wrong.",
    )

    _service_clock_max_distance_positive = models.Constraint(
        "CHECK(service_clock_max_distance > 0)", "The clock-in distance must be more than 0 metres."
    )
