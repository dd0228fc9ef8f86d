from psycopg2 import IntegrityError

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger


class ServiceOrderCommon(TransactionCase):
    """A company with a UTC working schedule (Mon-Fri 8-12 and 13-17), a public holiday on
    Wednesday 2026-12-02, one user per service group, customers and an SLA policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Service 40h UTC",
                "tz": "UTC",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day} {start}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": start + 4,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for start, period in ((8, "morning"), (13, "afternoon"))
                ],
            }
        )
        cls.holiday = cls.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": cls.calendar.id,
                "company_id": cls.company.id,
                "date_from": "2026-12-02 00:00:00",
                "date_to": "2026-12-02 23:59:59",
            }
        )
        cls.sla_policy = cls.env["service.sla.policy"].create(
            {
                "name": "Test SLA",
                "response_hours": 4,
                "resolution_hours": 16,
                "resource_calendar_id": cls.calendar.id,
                "company_id": cls.company.id,
            }
        )
        cls.manager = new_test_user(
            cls.env, "svc_test_manager", "service_order.group_service_manager", company_id=cls.company.id
        )
        cls.dispatcher = new_test_user(
            cls.env,
            "svc_test_dispatcher",
            "service_order.group_service_dispatcher",
            company_id=cls.company.id,
        )
        cls.technician = new_test_user(
            cls.env, "svc_test_tech", "service_order.group_service_technician", company_id=cls.company.id
        )
        cls.customer = cls.env["res.partner"].create({"name": "Acme Facilities", "is_company": True})
        cls.customer_site = cls.env["res.partner"].create(
            {
                "name": "Acme Warehouse",
                "type": "delivery",
                "parent_id": cls.customer.id,
                "city": "Ghent",
            }
        )

    @classmethod
    def _create_order(cls, **values):
        return cls.env["service.order"].create(
            {
                "partner_id": cls.customer.id,
                "sold_hours": 8.0,
                "date_start": "2026-11-27 10:00:00",
                **values,
            }
        )

    def assertConstraintRefuses(self, model, message, func):
        """``func`` is refused by a database constraint, and the user is shown ``message`` (the web
        client turns the error into a ValidationError with the constraint's message)."""
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught, self.env.cr.savepoint():
            func()
            self.env.flush_all()
        self.assertIn(message, self.env[model]._sql_error_to_message(caught.exception))

    def flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
