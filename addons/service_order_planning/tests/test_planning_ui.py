from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPlanningUi(HttpCase):
    def test_board_books_a_free_slot(self):
        employee = self.env["hr.employee"].create({"name": "Tour Technician", "tz": "UTC"})
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


@tagged("post_install", "-at_install")
class TestPlanningUiMobile(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_board_fits_a_phone(self):
        self.start_tour(
            "/odoo/action-service_order_planning.service_capacity_board_action",
            "service_capacity_board_mobile_tour",
            login="admin",
        )
