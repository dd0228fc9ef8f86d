from datetime import datetime

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
WINDOW_FORMAT = "%Y-%m-%dT%H:%M"
# Bots fill in every input; people never see this one.
HONEYPOT_FIELD = "company_website"


class ServiceRequestController(http.Controller):
    @http.route("/service/request", type="http", auth="public", methods=["GET"], sitemap=False)
    def service_request_form(self, **kwargs):
        return self._render_form({}, {})

    @http.route("/service/request", type="http", auth="public", methods=["POST"], sitemap=False)
    def service_request_submit(self, **post):
        values = {key: (post.get(key) or "").strip() for key in (*MAX_LENGTHS, "window_start", "window_end")}
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
        errors, window = self._validate(values)
        if errors:
            return self._render_form(values, errors, status=400)
        request.env["crm.lead"].sudo().create(self._prepare_lead_values(values, window))
        return request.redirect("/service/request/thanks")

    @http.route("/service/request/thanks", type="http", auth="public", methods=["GET"], sitemap=False)
    def service_request_thanks(self, **kwargs):
        return request.render("service_order_crm.service_request_thanks", {"company": request.env.company})

    # ------------------------------------------------------------------ helpers
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

    def _parse_window_value(self, value, timezone):
        local = datetime.strptime(value, WINDOW_FORMAT)
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
        window = {}
        timezone = self._visitor_timezone()
        for field in ("window_start", "window_end"):
            if values[field] and field not in errors:
                try:
                    window[field] = self._parse_window_value(values[field], timezone)
                except ValueError:
                    errors[field] = request.env._("Enter a date and a time.")
        if "window_start" in window and window["window_start"] <= fields.Datetime.now():
            errors["window_start"] = request.env._("The window must lie in the future.")
        if len(window) == 2 and window["window_end"] <= window["window_start"]:
            errors["window_end"] = request.env._("The window must end after it starts.")
        return errors, window

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
