from datetime import timedelta

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ServiceOrderCrmCommon


@tagged("post_install", "-at_install")
class TestCrmLead(ServiceOrderCrmCommon):
    def test_qualified_once_need_site_and_window_are_known(self):
        leads = self.env["crm.lead"].create(
            [
                self._lead_values(),
                self._lead_values(service_need=False),
                self._lead_values(street=False),
                self._lead_values(window_end=False),
            ]
        )
        self.assertEqual(leads.mapped("service_qualified"), [True, False, False, False])
        leads[1].service_need = "Replace the thermostat."
        leads[2].street = "Korenmarkt 3"
        self.assertEqual(
            self.env["crm.lead"].search([("id", "in", leads.ids), ("service_qualified", "=", True)]),
            leads[:3],
            "the flag is stored and searchable",
        )
        leads[0].city = False
        self.assertFalse(leads[0].service_qualified)

    def test_default_channel_is_other(self):
        lead = self.env["crm.lead"].create({"name": "Imported contact"})
        self.assertEqual(lead.intake_channel, "other")

    def test_referral_names_the_referrer(self):
        self.assertConstraintRefuses(
            "crm.lead",
            "A referral lead must name the partner who referred the customer.",
            lambda: self.env["crm.lead"].create(self._lead_values(intake_channel="referral")),
        )
        lead = self.env["crm.lead"].create(
            self._lead_values(intake_channel="referral", referred_by_id=self.referrer.id)
        )
        self.assertEqual(lead.referred_by_id, self.referrer)

    def test_window_must_end_after_it_starts(self):
        lead = self.env["crm.lead"].create(self._lead_values())
        self.assertConstraintRefuses(
            "crm.lead",
            "The customer's preferred time window must end after it starts.",
            lambda: lead.write({"window_end": lead.window_start - timedelta(hours=1)}),
        )

    def _intake_form(self, action_xmlid):
        action = self.env.ref(action_xmlid)
        lead_model = self.env["crm.lead"].with_user(self.salesman).with_context(**safe_eval(action.context))
        return Form(lead_model, view=action.view_id)

    def test_phone_intake_sets_the_channel(self):
        with self._intake_form("service_order_crm.crm_lead_action_phone_intake") as form:
            form.name = "Leaking tap"
            form.contact_name = "Paul Caller"
            form.phone = "+32 9 123 45 67"
            form.street = "Kouter 5"
            form.city = "Ghent"
            form.service_need = "The kitchen tap leaks."
            form.window_start = "2030-01-07 08:00:00"
            form.window_end = "2030-01-07 12:00:00"
        lead = form.record
        self.assertEqual(lead.intake_channel, "phone")
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.user_id, self.salesman)
        self.assertTrue(lead.service_qualified)

    def test_referral_intake_requires_the_referrer(self):
        form = self._intake_form("service_order_crm.crm_lead_action_referral_intake")
        form.name = "Office rewiring"
        form.contact_name = "Ann Referred"
        self.assertEqual(form.intake_channel, "referral")
        with self.assertRaisesRegex(AssertionError, "referred_by_id"):
            form.save()
        form.referred_by_id = self.referrer
        lead = form.save()
        self.assertEqual((lead.intake_channel, lead.referred_by_id), ("referral", self.referrer))
