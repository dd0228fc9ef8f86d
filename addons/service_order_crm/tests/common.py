import re
from datetime import timedelta

from odoo import fields
from odoo.addons.service_order.tests.common import ServiceOrderCommon
from odoo.tests import new_test_user

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class ServiceOrderCrmCommon(ServiceOrderCommon):
    """Adds a sales team for service requests, a salesperson and a referring partner."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Service Requests", "company_id": cls.company.id})
        cls.company.service_request_team_id = cls.team
        cls.salesman = new_test_user(
            cls.env,
            "svc_test_salesman",
            "sales_team.group_sale_salesman,crm.group_use_lead",
            company_id=cls.company.id,
        )
        cls.referrer = cls.env["res.partner"].create({"name": "Bob Referrer"})

    @classmethod
    def _lead_values(cls, **values):
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=2)
        return {
            "name": "Broken boiler",
            "contact_name": "Jane Doe",
            "street": "Veldstraat 1",
            "city": "Ghent",
            "service_need": "The boiler does not start.",
            "window_start": start,
            "window_end": start + timedelta(hours=4),
            **values,
        }


def request_form_values(**values):
    """Valid values of the public request form, the window two days ahead (naive, local time)."""
    start = fields.Datetime.now().replace(second=0, microsecond=0) + timedelta(days=2)
    return {
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "phone": "+32 470 00 00 00",
        "street": "Veldstraat 1",
        "zip": "9000",
        "city": "Ghent",
        "need": "The boiler does not start.\nIt is 15 years old.",
        "window_start": start.strftime("%Y-%m-%dT%H:%M"),
        "window_end": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        **values,
    }
