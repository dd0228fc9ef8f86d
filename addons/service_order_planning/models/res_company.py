from odoo import fields, models


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

    _service_travel_buffer_positive = models.Constraint(
        "CHECK(service_travel_buffer >= 0)", "The travel buffer cannot be negative."
    )
