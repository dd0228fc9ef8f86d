from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestServiceRequestUi(HttpCase):
    def test_visitor_submits_the_request_form(self):
        self.start_tour("/service/request", "service_order_crm_request_tour", login=None)
        lead = self.env["crm.lead"].search([("email_from", "=", "tour.visitor@example.com")])
        self.assertEqual(len(lead), 1)
        self.assertRecordValues(
            lead,
            [
                {
                    "intake_channel": "web",
                    "contact_name": "Tour Visitor",
                    "city": "Ghent",
                    "service_qualified": True,
                }
            ],
        )
        self.assertLess(lead.window_start, lead.window_end)
