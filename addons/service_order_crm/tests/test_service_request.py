from datetime import datetime, timedelta

import pytz

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CSRF_RE, request_form_values


@tagged("post_install", "-at_install")
class TestServiceRequest(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.team = cls.env["crm.team"].create({"name": "Web Service Requests", "company_id": cls.company.id})
        cls.company.service_request_team_id = cls.team

    def _csrf_token(self):
        response = self.url_open("/service/request")
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def _submit(self, values, token=None):
        data = dict(values, csrf_token=token or self._csrf_token())
        return self.url_open("/service/request", data=data)

    def _lead_count(self):
        return self.env["crm.lead"].with_context(active_test=False).search_count([])

    def test_form_page(self):
        response = self.url_open("/service/request")
        self.assertEqual(response.status_code, 200)
        for name in ("name", "email", "phone", "street", "zip", "city", "need", "window_start", "window_end"):
            self.assertIn(f'name="{name}"', response.text)
        self.assertIn('name="company_website"', response.text, "the honeypot is in the page")
        self.assertRegex(response.text, CSRF_RE)
        self.assertIn(self.company.name, response.text)

    def test_valid_request_creates_one_web_lead(self):
        self.env.ref("base.user_root").group_ids |= self.env.ref("crm.group_use_lead")
        self.opener.cookies.set("tz", "Europe/Brussels")
        values = request_form_values()
        leads_before = self._lead_count()
        partners_before = self.env["res.partner"].search_count([])
        response = self._submit(values)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/service/request/thanks"))
        self.assertIn("Thank you", response.text)
        self.assertEqual(self._lead_count(), leads_before + 1)
        self.assertEqual(
            self.env["res.partner"].search_count([]), partners_before, "the form creates a lead, nothing else"
        )
        lead = self.env["crm.lead"].search([], order="id desc", limit=1)
        brussels = pytz.timezone("Europe/Brussels")
        start = brussels.localize(datetime.strptime(values["window_start"], "%Y-%m-%dT%H:%M"))
        self.assertRecordValues(
            lead,
            [
                {
                    "type": "lead",
                    "intake_channel": "web",
                    "team_id": self.team.id,
                    "company_id": self.company.id,
                    "contact_name": "Jane Doe",
                    "email_from": "jane.doe@example.com",
                    "phone": "+32 470 00 00 00",
                    "street": "Veldstraat 1",
                    "zip": "9000",
                    "city": "Ghent",
                    "service_need": values["need"],
                    "window_start": start.astimezone(pytz.utc).replace(tzinfo=None),
                    "window_end": start.astimezone(pytz.utc).replace(tzinfo=None) + timedelta(hours=4),
                    "service_qualified": True,
                    "partner_id": False,
                }
            ],
        )

    def test_every_bad_input_is_rejected_at_its_field(self):
        self.env["ir.config_parameter"].sudo().set_param("service_order_crm.request_rate_limit", 100)
        now = fields.Datetime.now()
        past = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        valid = request_form_values()
        cases = [
            *(
                (field, {field: ""}, "This field is required.")
                for field in (
                    "name",
                    "email",
                    "phone",
                    "street",
                    "city",
                    "need",
                    "window_start",
                    "window_end",
                )
            ),
            ("email", {"email": "jane.doe@example"}, "This is not a valid email address."),
            ("email", {"email": "jane doe@example.com"}, "This is not a valid email address."),
            ("name", {"name": "J" * 101}, "At most 100 characters, please."),
            ("phone", {"phone": "1" * 33}, "At most 32 characters, please."),
            ("need", {"need": "x" * 2001}, "At most 2000 characters, please."),
            ("window_start", {"window_start": "tomorrow morning"}, "Enter a date and a time."),
            ("window_start", {"window_start": past}, "The window must lie in the future."),
            ("window_end", {"window_end": valid["window_start"]}, "The window must end after it starts."),
        ]
        token = self._csrf_token()
        leads_before = self._lead_count()
        for field, override, message in cases:
            with self.subTest(field=field, value=override[field][:20]):
                response = self._submit({**valid, **override}, token=token)
                self.assertEqual(response.status_code, 400)
                self.assertIn(f'data-field="{field}">{message}</div>', response.text)
                kept = 'value="Ghent"' if field == "street" else 'value="Veldstraat 1"'
                self.assertIn(kept, response.text, "the other values are shown again")
        self.assertEqual(self._lead_count(), leads_before, "no rejected submission creates a lead")

    def test_control_characters_are_refused_at_their_field(self):
        self.env["ir.config_parameter"].sudo().set_param("service_order_crm.request_rate_limit", 100)
        valid = request_form_values()
        cases = [
            *((field, "\x00") for field in ("name", "email", "phone", "street", "zip", "city", "need")),
            ("window_start", "\x00"),
            ("need", "\x1b[31m"),
            ("city", "\x7f"),
            ("street", "\x85"),
            ("name", "\n"),
            ("phone", "\t"),
        ]
        token = self._csrf_token()
        leads_before = self._lead_count()
        for field, character in cases:
            with self.subTest(field=field, character=repr(character)):
                value = valid[field][:2] + character + valid[field][2:]
                response = self._submit({**valid, field: value}, token=token)
                self.assertEqual(response.status_code, 400)
                code = f"U+{ord(character[0]):04X}"
                self.assertIn(
                    f'data-field="{field}">This field contains a control character ({code}), which is not '
                    "allowed.</div>",
                    response.text,
                )
                shown = valid[field][:2] + character.lstrip(character[0]) + valid[field][2:]
                self.assertIn(
                    shown if field == "need" else f'value="{shown}"', response.text, "shown without it"
                )
        self.assertEqual(self._lead_count(), leads_before)
        response = self._submit({**valid, "need": "Line one\r\n\tindented line two"}, token=token)
        self.assertTrue(
            response.url.endswith("/service/request/thanks"), "a text area takes line breaks and tabs"
        )
        self.assertEqual(self._lead_count(), leads_before + 1)

    def test_a_file_instead_of_a_value_is_refused(self):
        leads_before = self._lead_count()
        data = dict(request_form_values(), csrf_token=self._csrf_token())
        del data["need"]
        response = self.url_open("/service/request", data=data, files={"need": ("need.txt", b"Fix it")})
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            'data-field="need">Type the value in, please; files are not accepted here.</div>', response.text
        )
        self.assertEqual(self._lead_count(), leads_before)

    def test_window_dates_at_the_ends_of_the_calendar(self):
        self.env["ir.config_parameter"].sudo().set_param("service_order_crm.request_rate_limit", 100)
        valid = request_form_values()
        too_late = "Choose a date within the next 365 days."
        in_the_past = "The window must lie in the future."
        next_year = (fields.Datetime.now() + timedelta(days=367)).strftime("%Y-%m-%dT%H:%M")
        cases = [
            ("Europe/Brussels", "window_end", "9999-12-31T23:59", too_late),
            ("America/New_York", "window_end", "9999-12-31T23:59", too_late),
            ("Asia/Tokyo", "window_start", "0001-01-01T00:00", in_the_past),
            ("America/New_York", "window_start", "0001-01-01T00:00", in_the_past),
            ("UTC", "window_end", "9999-12-31T23:59", too_late),
            ("UTC", "window_start", next_year, too_late),
        ]
        token = self._csrf_token()
        leads_before = self._lead_count()
        for timezone, field, value, message in cases:
            with self.subTest(timezone=timezone, value=value):
                self.opener.cookies.set("tz", timezone)
                response = self._submit({**valid, field: value}, token=token)
                self.assertEqual(response.status_code, 400)
                self.assertIn(f'data-field="{field}">{message}</div>', response.text)
        self.assertEqual(self._lead_count(), leads_before)

    def test_failing_posts_count_against_the_rate_limit(self):
        """Posts that used to crash the request (HTTP 500) rolled their hit back and were never
        limited; each one now counts."""
        token = self._csrf_token()
        self.opener.cookies.set("tz", "America/New_York")
        failing = [
            request_form_values(name="Jane\x00Doe"),
            request_form_values(window_end="9999-12-31T23:59"),
        ]
        for attempt in range(5):
            response = self._submit(failing[attempt % 2], token=token)
            self.assertEqual(response.status_code, 400)
        response = self._submit(failing[0], token=token)
        self.assertEqual(response.status_code, 429)
        counter = self.env["service.request.hit"].search([("ip_address", "=", "127.0.0.1")])
        self.assertEqual(counter.hit_count, 6)

    def test_honeypot_rejects_bots(self):
        leads_before = self._lead_count()
        response = self._submit(request_form_values(company_website="https://spam.example.com"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Your request could not be accepted.", response.text)
        self.assertEqual(self._lead_count(), leads_before)

    def test_csrf_token_is_required(self):
        leads_before = self._lead_count()
        with mute_logger("odoo.http"):
            response = self.url_open("/service/request", data=request_form_values())
            forged = self.url_open("/service/request", data=dict(request_form_values(), csrf_token="forged"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(forged.status_code, 400)
        self.assertEqual(self._lead_count(), leads_before)

    def test_rate_limit_per_address(self):
        token = self._csrf_token()
        leads_before = self._lead_count()
        for _attempt in range(5):
            response = self._submit(request_form_values(name=""), token=token)
            self.assertEqual(response.status_code, 400)
        response = self._submit(request_form_values(), token=token)
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many requests were sent from your address.", response.text)
        self.assertEqual(self._lead_count(), leads_before, "a valid request over the limit creates nothing")
        counter = self.env["service.request.hit"].search([("ip_address", "=", "127.0.0.1")])
        self.assertEqual(counter.hit_count, 6, "the counter is in the database, shared by all workers")
        # Once the window is over the address may submit again.
        counter.window_start = fields.Datetime.now() - timedelta(minutes=2)
        response = self._submit(request_form_values(), token=token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._lead_count(), leads_before + 1)
        self.assertEqual(counter.hit_count, 1)
        self.assertEqual(
            self.env["crm.lead"].search([], order="id desc", limit=1).type,
            "opportunity",
            "without the leads feature, requests go straight to the pipeline",
        )

    def test_rate_limit_is_per_address_and_old_counters_are_cleaned(self):
        hits = self.env["service.request.hit"]
        self.assertEqual([hits._register_hit("198.51.100.7") for _attempt in range(6)], [True] * 5 + [False])
        self.assertTrue(hits._register_hit("198.51.100.8"), "another address has its own allowance")
        hits.search([("ip_address", "=", "198.51.100.7")]).window_start = fields.Datetime.now() - timedelta(
            hours=1
        )
        hits._gc_old_hits()
        remaining = hits.search([("ip_address", "in", ["198.51.100.7", "198.51.100.8"])])
        self.assertEqual(remaining.mapped("ip_address"), ["198.51.100.8"])

    def test_thanks_page(self):
        response = self.url_open("/service/request/thanks")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
