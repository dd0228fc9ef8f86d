from odoo.addons.service_order.tests.common import ServiceOrderCommon


class ServicePlanningCommon(ServiceOrderCommon):
    """On top of service_order's fixtures (a UTC calendar Mon-Fri 8-12 and 13-17 with a public
    holiday on Wednesday 2026-12-02): a technician working in UTC, a colleague on the same
    calendar in Brussels, two sites of the customer and an order of 40 sold hours.

    The test week runs from Monday 2026-11-30 to Sunday 2026-12-06."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "UTC"
        cls.Assignment = cls.env["service.assignment"]
        cls.department = cls.env["hr.department"].create({"name": "Field Service"})
        cls.tech_employee = cls.env["hr.employee"].create(
            {
                "name": "Ada Fixer",
                "user_id": cls.technician.id,
                "resource_calendar_id": cls.calendar.id,
                "tz": "UTC",
                "department_id": cls.department.id,
            }
        )
        cls.brussels_employee = cls.env["hr.employee"].create(
            {"name": "Bram Peeters", "resource_calendar_id": cls.calendar.id, "tz": "Europe/Brussels"}
        )
        cls.other_site = cls.env["res.partner"].create(
            {"name": "Acme Shop", "type": "delivery", "parent_id": cls.customer.id, "city": "Bruges"}
        )
        cls.order = cls._create_order(sold_hours=40.0, site_id=cls.customer_site.id)

    @classmethod
    def _assign(cls, start, end, employee=None, order=None, **values):
        return cls.Assignment.create(
            {
                "service_order_id": (order or cls.order).id,
                "employee_id": (employee or cls.tech_employee).id,
                "date_start": start,
                "date_end": end,
                **values,
            }
        )

    def _auto_plan_queries(self, order_ids, employee_ids):
        """The queries of an auto-plan of ``order_ids`` over ``employee_ids`` for the week of
        2026-11-30, from a cold cache, and the number of proposals."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        plan = self.Assignment.get_auto_plan(order_ids, "2026-11-30", "2026-12-04", employee_ids)
        return self.env.cr.sql_log_count - before, len(plan["proposals"])
