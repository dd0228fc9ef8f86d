from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPlanningUi(HttpCase):
    def test_board_books_a_free_slot(self):
        employee = self.env["hr.employee"].create(
            {"name": "Tour Technician", "tz": "UTC", "service_field_staff": True}
        )
        partner = self.env["res.partner"].create({"name": "Tour Board Customer", "is_company": True})
        order = self.env["service.order"].create(
            {"name": "TOUR-BOARD-1", "partner_id": partner.id, "sold_hours": 40.0}
        )
        self.start_tour(
            "/odoo/action-service_order_planning.service_capacity_board_action",
            "service_capacity_board_tour",
            login="admin",
        )
        assignment = self.env["service.assignment"].search([("employee_id", "=", employee.id)])
        self.assertEqual(len(assignment), 1)
        self.assertEqual(assignment.service_order_id, order)
        self.assertGreater(assignment.planned_hours, 0)

    def test_dispatcher_drags_an_order_and_reschedules_it(self):
        technician, helper = self.env["hr.employee"].create(
            [
                {"name": "Tour Technician", "tz": "UTC", "service_field_staff": True},
                {"name": "Tour Helper", "tz": "UTC", "service_field_staff": True},
            ]
        )
        (technician | helper).resource_calendar_id = False
        # The technician does gas work: the board filters people by skill.
        trades = self.env["hr.skill.type"].create(
            {
                "name": "Tour Trades",
                "skill_ids": [Command.create({"name": "Tour Gas"})],
                "skill_level_ids": [Command.create({"name": "Certified", "level_progress": 100})],
            }
        )
        self.env["hr.employee.skill"].create(
            {
                "employee_id": technician.id,
                "skill_type_id": trades.id,
                "skill_id": trades.skill_ids.id,
                "skill_level_id": trades.skill_level_ids.id,
            }
        )
        partner, elsewhere = self.env["res.partner"].create(
            [
                {"name": "Tour Drag Customer", "is_company": True},
                {"name": "Tour Other Customer", "is_company": True},
            ]
        )
        order = self.env["service.order"].create(
            {"name": "TOUR-DRAG-1", "partner_id": partner.id, "sold_hours": 2.0, "user_id": False}
        )
        # The helper visits another site at 02:00 next Monday, an hour of travel away: a two-hour
        # job does not fit before it.
        self.env.company.service_travel_buffer = 60
        today = fields.Date.today()
        monday = today + timedelta(days=7 - today.weekday())
        visit = self.env["service.order"].create({"partner_id": elsewhere.id, "sold_hours": 1.0})
        self.env["service.assignment"].create(
            {
                "service_order_id": visit.id,
                "employee_id": helper.id,
                "date_start": f"{monday} 02:00:00",
                "date_end": f"{monday} 03:00:00",
            }
        )
        # The refused move is logged by the RPC layer: expected here.
        with mute_logger("odoo.http"):
            self.start_tour(
                "/odoo/action-service_order_planning.service_capacity_board_action",
                "service_dispatch_board_drag_tour",
                login="svc_dispatcher",
            )
        assignment = self.env["service.assignment"].search([("service_order_id", "=", order.id)])
        self.assertEqual((assignment.employee_id, assignment.state), (helper, "confirmed"))
        self.assertEqual(assignment.date_start.date(), monday + timedelta(days=1))
        self.assertEqual(assignment.planned_hours, 2.0)
        self.assertEqual(order.state, "scheduled")
        self.assertFalse(technician.user_id)


@tagged("post_install", "-at_install")
class TestPlanningUiMobile(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_board_fits_a_phone(self):
        employee = self.env["hr.employee"].create(
            {"name": "Tour Technician", "tz": "UTC", "service_field_staff": True}
        )
        # Fully flexible: free on any day, so that the day the tour shows has room.
        employee.resource_calendar_id = False
        partner = self.env["res.partner"].create({"name": "Tour Phone Customer", "is_company": True})
        order = self.env["service.order"].create(
            {"name": "TOUR-PHONE-1", "partner_id": partner.id, "sold_hours": 1.0}
        )
        # The day after tomorrow, the day the tour shows, whatever today is.
        slot = self._slot_in_two_days(employee)
        self.env["service.assignment"].action_board_book(order.id, employee.id, slot)
        self.start_tour(
            "/odoo/action-service_order_planning.service_capacity_board_action",
            "service_capacity_board_mobile_tour",
            login="admin",
        )

    def _slot_in_two_days(self, employee):
        """The first free slot of ``employee`` from the day after tomorrow."""
        day = fields.Date.today() + timedelta(days=2)
        slots = self.env["service.assignment"].get_free_slots(
            employee.ids, f"{day} 00:00:00", f"{day + timedelta(days=7)} 00:00:00"
        )
        return slots[0]["start"]

    def test_technician_lands_on_my_work(self):
        technician = self.env.ref("service_order.user_service_technician_demo")
        employee = self.env.ref("service_order.employee_service_technician_demo")
        partner = self.env["res.partner"].create(
            {"name": "Tour Tech Customer", "is_company": True, "phone": "+32 9 555 01 01", "city": "Ghent"}
        )
        order = self.env["service.order"].create(
            {"name": "TOUR-TECH-1", "partner_id": partner.id, "sold_hours": 2.0, "user_id": False}
        )
        slot = self._slot_in_two_days(employee)
        self.env["service.assignment"].action_board_book(order.id, employee.id, slot)
        self.assertEqual(order.user_id, technician)
        self.start_tour("/odoo", "service_my_work_tour", login="svc_tech")
