import re
from datetime import datetime, timedelta

import pytz

from odoo import fields, http
from odoo.http import request
from odoo.tools import plaintext2html
from odoo.tools.mail import single_email_re

# Form field -> maximum length in characters.
MAX_LENGTHS = {
    "name": 100,
    "email": 254,
    "phone": 32,
    "street": 200,
    "zip": 16,
    "city": 100,
    "need": 2000,
}
REQUIRED_FIELDS = ("name", "email", "phone", "street", "city", "need", "window_start", "window_end")
FORM_FIELDS = (*MAX_LENGTHS, "window_start", "window_end")
# Fields typed on several lines; every other field is a single line.
MULTILINE_FIELDS = frozenset({"need"})
# Control characters are invisible on screen, PostgreSQL cannot store NUL at all, and nobody types
# them in a form: refuse them rather than store something the team cannot read. Line breaks
# (and tabs) are text only where the field has several lines.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SINGLE_LINE_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
WINDOW_FORMAT = "%Y-%m-%dT%H:%M"
# A preferred window further ahead is not a service request, and dates near year 1 or 9999
# overflow once converted from the visitor's time zone.
WINDOW_MAX_DAYS_AHEAD = 365
# Bots fill in every input; people never see this one.
HONEYPOT_FIELD = "company_website"


class ServiceRequestController(http.Controller):
    @http.route("/service/request", type="http", auth="public", methods=["GET"], sitemap=False)
    def service_request_form(self, **kwargs):
        return self._render_form({}, {})

    @http.route("/service/request", type="http", auth="public", methods=["POST"], sitemap=False)
    def service_request_submit(self, **post):
        """Count the submission, then check it. The hit is written in the request's transaction:
        nothing a visitor sends can make the rest of the request fail (every input is checked
        before it is used), so every submission that reaches this point is counted."""
        values, errors = self._read_values(post)
        ip_address = request.httprequest.remote_addr or "unknown"
        if not request.env["service.request.hit"].sudo()._register_hit(ip_address):
            errors = {
                "form": request.env._(
                    "Too many requests were sent from your address. Please wait a minute and try again."
                )
            }
            return self._render_form(values, errors, status=429)
        if post.get(HONEYPOT_FIELD):
            errors = {"form": request.env._("Your request could not be accepted.")}
            return self._render_form(values, errors, status=400)
        validation_errors, window = self._validate(values)
        errors = {**validation_errors, **errors}
        if errors:
            return self._render_form(values, errors, status=400)
        request.env["crm.lead"].sudo().create(self._prepare_lead_values(values, window))
        return request.redirect("/service/request/thanks")

    @http.route("/service/request/thanks", type="http", auth="public", methods=["GET"], sitemap=False)
    def service_request_thanks(self, **kwargs):
        return request.render("service_order_crm.service_request_thanks", {"company": request.env.company})

    # ------------------------------------------------------------------ helpers
    def _read_values(self, post):
        """The submitted text of each field, stripped, and the errors of the fields that cannot be
        text: an uploaded file instead of a value, or control characters. Those fields are
        emptied, so that nothing that cannot be shown or stored goes further."""
        values, errors = {}, {}
        for field in FORM_FIELDS:
            value = post.get(field) or ""
            if not isinstance(value, str):
                values[field] = ""
                errors[field] = request.env._("Type the value in, please; files are not accepted here.")
                continue
            value = value.strip()
            pattern = CONTROL_CHARACTERS if field in MULTILINE_FIELDS else SINGLE_LINE_CONTROL_CHARACTERS
            bad = pattern.search(value)
            if bad:
                values[field] = pattern.sub("", value)
                errors[field] = request.env._(
                    "This field contains a control character (%(character)s), which is not allowed.",
                    character=f"U+{ord(bad.group()):04X}",
                )
                continue
            values[field] = value
        return values, errors

    def _render_form(self, values, errors, status=200):
        return request.render(
            "service_order_crm.service_request_page",
            {
                "values": values,
                "errors": errors,
                "max_lengths": MAX_LENGTHS,
                "honeypot_field": HONEYPOT_FIELD,
                "company": request.env.company,
            },
            status=status,
        )

    def _visitor_timezone(self):
        """The visitor's browser sets the ``tz`` cookie; the company's time zone is the fallback."""
        name = request.cookies.get("tz") or request.env.company.partner_id.sudo().tz or "UTC"
        return pytz.timezone(name if name in pytz.all_timezones_set else "UTC")

    def _window_to_utc(self, local, timezone):
        return timezone.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    def _validate(self, values):
        """Return the errors by field and the window converted to UTC."""
        errors = {}
        for field in REQUIRED_FIELDS:
            if not values[field]:
                errors[field] = request.env._("This field is required.")
        for field, size in MAX_LENGTHS.items():
            if len(values[field]) > size:
                errors[field] = request.env._("At most %(size)s characters, please.", size=size)
        if values["email"] and "email" not in errors and not single_email_re.match(values["email"]):
            errors["email"] = request.env._("This is not a valid email address.")
        window = self._validate_window(values, errors)
        return errors, window

    def _validate_window(self, values, errors):
        """Return the window converted to UTC; add its errors to ``errors``."""
        window = {}
        timezone = self._visitor_timezone()
        now = fields.Datetime.now()
        latest = now + timedelta(days=WINDOW_MAX_DAYS_AHEAD)
        for field in ("window_start", "window_end"):
            if not values[field] or field in errors:
                continue
            try:
                local = datetime.strptime(values[field], WINDOW_FORMAT)
            except ValueError:
                errors[field] = request.env._("Enter a date and a time.")
                continue
            # Bounded before the conversion to UTC, which overflows near year 1 and 9999; a day of
            # margin covers every time zone's offset, the exact bounds are checked in UTC below.
            if local < now - timedelta(days=1):
                errors[field] = request.env._("The window must lie in the future.")
            elif local > latest + timedelta(days=1):
                errors[field] = self._window_too_late_error()
            else:
                window[field] = self._window_to_utc(local, timezone)
        if "window_start" in window and window["window_start"] <= now:
            errors["window_start"] = request.env._("The window must lie in the future.")
        for field in ("window_start", "window_end"):
            if field in window and window[field] > latest:
                errors[field] = self._window_too_late_error()
        if len(window) == 2 and window["window_end"] <= window["window_start"]:
            errors["window_end"] = request.env._("The window must end after it starts.")
        return window

    def _window_too_late_error(self):
        return request.env._("Choose a date within the next %(days)s days.", days=WINDOW_MAX_DAYS_AHEAD)

    def _prepare_lead_values(self, values, window):
        company = request.env.company
        team = company.sudo().service_request_team_id
        need = values["need"]
        return {
            "name": request.env._("Service request: %(need)s", need=need.splitlines()[0][:60]),
            # Like any lead: to qualify first when the company uses leads, else straight to the pipeline.
            "type": "lead"
            if request.env["res.groups"]._is_feature_enabled("crm.group_use_lead")
            else "opportunity",
            "intake_channel": "web",
            "contact_name": values["name"],
            "email_from": values["email"],
            "phone": values["phone"],
            "street": values["street"],
            "zip": values["zip"],
            "city": values["city"],
            "country_id": company.country_id.id,
            "service_need": need,
            "description": plaintext2html(need),
            "window_start": window["window_start"],
            "window_end": window["window_end"],
            "team_id": team.id,
            "user_id": team.user_id.id,
            "company_id": (team.company_id or company).id,
        }
