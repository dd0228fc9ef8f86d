from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    intake_channel = fields.Selection(
        [("web", "Web Form"), ("phone", "Phone"), ("referral", "Referral"), ("other", "Other")],
        default="other",
        required=True,
        index=True,
        tracking=True,
        help="How the request reached us.",
    )
    referred_by_id = fields.Many2one(
        "res.partner",
        string="Referring Partner",
        index="btree_not_null",
        tracking=True,
        help="The partner who recommended us to this customer.",
    )
    service_need = fields.Text(help="What the customer needs done, in their words.")
    window_start = fields.Datetime(string="Preferred From", tracking=True)
    window_end = fields.Datetime(string="Preferred Until", tracking=True)
    service_qualified = fields.Boolean(
        string="Qualified for Service",
        compute="_compute_service_qualified",
        store=True,
        index=True,
        help="The need, the site (street and city) and the customer's time window are known.",
    )

    _referral_has_referrer = models.Constraint(
        "CHECK(intake_channel != 'referral' OR referred_by_id IS NOT NULL)",
        "A referral lead must name the partner who referred the customer.",
    )
    _window_ordered = models.Constraint(
        "CHECK(window_start IS NULL OR window_end IS NULL OR window_end > window_start)",
        "The customer's preferred time window must end after it starts.",
    )

    @api.depends("service_need", "street", "city", "window_start", "window_end")
    def _compute_service_qualified(self):
        for lead in self:
            lead.service_qualified = bool(
                (lead.service_need or "").strip()
                and lead.street
                and lead.city
                and lead.window_start
                and lead.window_end
            )
