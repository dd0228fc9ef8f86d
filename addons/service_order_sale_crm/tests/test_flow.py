import re
from datetime import datetime, timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import Form, HttpCase, tagged
from odoo.tools import html2plaintext


@tagged("post_install", "-at_install")
class TestLeadToServiceOrderFlow(HttpCase):
    """The whole way: public request form, lead, opportunity, quotation, revision, confirmation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.team = cls.env["crm.team"].create({"name": "Service Desk", "company_id": cls.company.id})
        cls.company.service_request_team_id = cls.team
        cls.sla_policy = cls.env["service.sla.policy"].create(
            {"name": "Flow SLA", "response_hours": 4, "resolution_hours": 24, "company_id": cls.company.id}
        )
        product_values = {"type": "service", "invoice_policy": "order", "generate_service_order": True}
        cls.product_hour = cls.env["product.product"].create(
            dict(
                product_values, name="Flow hour", uom_id=cls.env.ref("uom.product_uom_hour").id, list_price=60
            )
        )
        cls.product_day = cls.env["product.product"].create(
            dict(
                product_values, name="Flow day", uom_id=cls.env.ref("uom.product_uom_day").id, list_price=450
            )
        )

    def _submit_request(self):
        self.opener.cookies.set("tz", "UTC")
        page = self.url_open("/service/request")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        start = (fields.Datetime.now() + timedelta(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
        response = self.url_open(
            "/service/request",
            data={
                "csrf_token": token,
                "name": "Flow Customer",
                "email": "flow.customer@example.com",
                "phone": "+32 470 55 55 55",
                "street": "Kouter 10",
                "zip": "9000",
                "city": "Ghent",
                "need": "Replace the boiler's pump.",
                "window_start": start.strftime("%Y-%m-%dT%H:%M"),
                "window_end": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
            },
        )
        self.assertTrue(response.url.endswith("/service/request/thanks"))
        return self.env["crm.lead"].search([("email_from", "=", "flow.customer@example.com")]), start

    def _convert_to_opportunity(self, lead):
        wizard = (
            self.env["crm.lead2opportunity.partner"]
            .with_context(active_model="crm.lead", active_id=lead.id, active_ids=lead.ids)
            .create({"name": "convert", "action": "create"})
        )
        wizard.action_apply()

    def _new_quotation(self, lead, lines):
        context = lead.action_new_quotation()["context"]
        with Form(self.env["sale.order"].with_context(**context)) as form:
            form.sla_policy_id = self.sla_policy
            for product, qty in lines:
                with form.order_line.new() as line:
                    line.product_id = product
                    line.product_uom_qty = qty
        return form.record

    def test_public_request_to_service_order(self):
        lead, start = self._submit_request()
        self.assertEqual(len(lead), 1)
        self.assertTrue(lead.service_qualified)
        self.assertEqual((lead.intake_channel, lead.team_id), ("web", self.team))

        self._convert_to_opportunity(lead)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual((lead.partner_id.street, lead.partner_id.city), ("Kouter 10", "Ghent"))

        quote = self._new_quotation(lead, [(self.product_day, 1), (self.product_hour, 2)])
        self.assertEqual(quote.opportunity_id, lead)
        self.assertEqual(html2plaintext(quote.service_scope), "Replace the boiler's pump.")
        self.assertEqual(
            (quote.service_window_start, quote.service_window_end), (start, start + timedelta(hours=4))
        )
        self.assertEqual(quote.partner_shipping_id.street, "Kouter 10", "the lead's address is the site")

        quote.action_revise()
        revision = quote.next_revision_id
        revision.write(
            {
                "service_notes": "<p>Call the customer 30 minutes before arriving.</p>",
                "order_line": [
                    Command.update(
                        revision.order_line.filtered(lambda line: line.product_id == self.product_day).id,
                        {"product_uom_qty": 2},
                    )
                ],
            }
        )
        revision.action_confirm()
        self.assertEqual((quote.state, revision.state), ("cancel", "sale"))
        self.assertFalse(quote.with_user(self.env.ref("base.user_admin")).service_order_ids)

        service = revision.service_order_ids
        self.assertRecordValues(
            service,
            [
                {
                    "sold_hours": 2 * 8 + 2,
                    "sla_policy_id": self.sla_policy.id,
                    "site_id": revision.partner_shipping_id.id,
                    "partner_id": lead.partner_id.id,
                    "opportunity_id": lead.id,
                    "window_start": start,
                    "window_end": start + timedelta(hours=4),
                }
            ],
        )
        self.assertIn("Call the customer 30 minutes before arriving.", service.notes)
        self.assertIn("Replace the boiler", service.scope)
        self.assertEqual(lead.service_order_count, 1)
        self.assertEqual(lead.action_view_service_orders()["res_id"], service.id)
        self.assertEqual(service.action_view_sale_order()["res_id"], revision.id)
        self.assertEqual(service.action_view_opportunity()["res_id"], lead.id)
        self.assertEqual(revision.action_view_service_orders()["res_id"], service.id)
        changes = revision.message_ids.filtered(lambda m: "Changes since revision 0" in m.body)
        self.assertIn("Flow day: 1.0 Days → 2.0 Days", changes.body)

    def test_site_of_a_known_customer_elsewhere(self):
        customer = self.env["res.partner"].create(
            {"name": "Known Customer", "is_company": True, "street": "Head Office 1", "city": "Brussels"}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Second site",
                "type": "opportunity",
                "partner_id": customer.id,
                "service_need": "Inspect the roof.",
                "window_start": datetime(2030, 3, 4, 8),
                "window_end": datetime(2030, 3, 4, 12),
            }
        )
        lead.write({"street": "Depot 9", "city": "Antwerp"})
        quote = self._new_quotation(lead, [(self.product_hour, 3)])
        site = quote.partner_shipping_id
        self.assertEqual(
            (site.parent_id, site.type, site.street, site.city), (customer, "delivery", "Depot 9", "Antwerp")
        )
        again = self._new_quotation(lead, [(self.product_hour, 1)])
        self.assertEqual(again.partner_shipping_id, site, "the site address is reused, not duplicated")
