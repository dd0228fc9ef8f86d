from odoo import fields, models
from odoo.tools import plaintext2html


class CrmLead(models.Model):
    _inherit = "crm.lead"

    service_order_count = fields.Integer(
        compute="_compute_service_order_count", groups="service_order.group_service_technician"
    )

    def _compute_service_order_count(self):
        counts = dict(
            self.env["service.order"]._read_group(
                [("opportunity_id", "in", self.ids)], ["opportunity_id"], ["__count"]
            )
        )
        for lead in self:
            lead.service_order_count = counts.get(lead, 0)

    def _prepare_opportunity_quotation_context(self):
        """The quote takes over the customer's need as its scope, the site and the time window."""
        context = super()._prepare_opportunity_quotation_context()
        if self.service_need:
            context["default_service_scope"] = plaintext2html(self.service_need)
        if self.window_start:
            context["default_service_window_start"] = fields.Datetime.to_string(self.window_start)
        if self.window_end:
            context["default_service_window_end"] = fields.Datetime.to_string(self.window_end)
        site = self._service_site_partner()
        if site:
            context["default_partner_shipping_id"] = site.id
        return context

    def _service_site_partner(self):
        """The customer's address at the lead's site: the customer itself or one of its delivery
        addresses when the street and city match, otherwise a new delivery address."""
        self.ensure_one()
        if not self.partner_id or not self.street:
            return self.env["res.partner"]
        commercial = self.partner_id.commercial_partner_id
        candidates = (
            self.partner_id | commercial | commercial.child_ids.filtered(lambda p: p.type == "delivery")
        )

        def same_place(partner):
            return (partner.street or "").strip().lower() == self.street.strip().lower() and (
                partner.city or ""
            ).strip().lower() == (self.city or "").strip().lower()

        site = next((partner for partner in candidates if same_place(partner)), None)
        if site:
            return site
        return self.env["res.partner"].create(
            {
                "type": "delivery",
                "parent_id": commercial.id,
                "name": self.env._("Site %(city)s", city=self.city) if self.city else False,
                "street": self.street,
                "street2": self.street2,
                "zip": self.zip,
                "city": self.city,
                "state_id": self.state_id.id,
                "country_id": self.country_id.id,
            }
        )

    def action_view_service_orders(self):
        self.ensure_one()
        orders = self.env["service.order"].search([("opportunity_id", "=", self.id)])
        return orders._service_action_view(self.env._("Service Orders of %(lead)s", lead=self.name))
