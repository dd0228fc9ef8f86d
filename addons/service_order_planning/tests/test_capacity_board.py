from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ServicePlanningCommon


@tagged("post_install", "-at_install")
class TestCapacityBoard(ServicePlanningCommon):
    """Hand-computed week: 8 working hours a day, a public holiday on Wednesday, time off on
    Thursday afternoon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": cls.tech_employee.resource_id.id,
                "calendar_id": cls.calendar.id,
                "date_from": "2026-12-03 13:00:00",
                "date_to": "2026-12-03 17:00:00",
            }
        )
        cls._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00")  # Monday: 4 of 8 hours
        cls._assign("2026-12-01 08:00:00", "2026-12-01 17:00:00")  # Tuesday: full
        cls._assign("2026-12-04 10:00:00", "2026-12-04 11:00:00")  # Friday: 1 hour
        cls._assign("2026-12-03 08:00:00", "2026-12-03 12:00:00", state="cancelled")
        # Thursday 22:00 to Friday 02:00: 4 hours outside working time, 2 on each day.
        cls._assign("2026-12-03 22:00:00", "2026-12-04 02:00:00", employee=cls.brussels_employee)

    def _cells(self, board, employee):
        row = next(r for r in board["employees"] if r["id"] == employee.id)
        return {cell["date"]: cell for cell in row["cells"]}, row

    def test_board_numbers(self):
        board = self.Assignment.get_capacity_board(
            "2026-11-30", "2026-12-06", employee_ids=(self.tech_employee | self.brussels_employee).ids
        )
        self.assertEqual(board["days"][0], "2026-11-30")
        self.assertEqual(len(board["days"]), 7)
        cells, row = self._cells(board, self.tech_employee)
        expected = {
            "2026-11-30": (8, 4, 4, "partial"),
            "2026-12-01": (8, 8, 0, "full"),
            "2026-12-02": (0, 0, 0, "off"),
            "2026-12-03": (4, 0, 4, "free"),
            "2026-12-04": (8, 1, 7, "partial"),
            "2026-12-05": (0, 0, 0, "off"),
        }
        for day, (capacity, booked, free, status) in expected.items():
            cell = cells[day]
            self.assertEqual(
                (cell["capacity"], cell["booked"], cell["free"], cell["status"]),
                (capacity, booked, free, status),
                day,
            )
        self.assertEqual(row["totals"], {"capacity": 28, "booked": 13, "free": 15})
        self.assertEqual(row["department"], [self.department.id, "Field Service"])
        self.assertEqual(
            [(s["label"], s["start"]) for s in cells["2026-12-04"]["slots"]],
            [
                ("08:00-10:00", "2026-12-04 08:00:00"),
                ("11:00-12:00", "2026-12-04 11:00:00"),
                ("13:00-17:00", "2026-12-04 13:00:00"),
            ],
        )

    def test_board_days_follow_the_employee_time_zone(self):
        board = self.Assignment.get_capacity_board(
            "2026-12-03", "2026-12-04", employee_ids=self.brussels_employee.ids
        )
        cells, _row = self._cells(board, self.brussels_employee)
        # 22:00-02:00 UTC is 23:00-03:00 in Brussels: 1 hour on Thursday, 3 on Friday.
        self.assertEqual(cells["2026-12-03"]["booked"], 1.0)
        self.assertEqual(cells["2026-12-04"]["booked"], 3.0)
        self.assertEqual(cells["2026-12-04"]["slots"][0]["start"], "2026-12-04 07:00:00", "8:00 local")
        self.assertEqual(cells["2026-12-04"]["slots"][0]["label"], "08:00-12:00")

    def test_overbooked_cell(self):
        # Overtime: 9 hours planned from 13:00 to 22:00, 4 of them in working time.
        self._assign("2026-12-04 13:00:00", "2026-12-04 22:00:00", planned_hours=9.0)
        cells, _row = self._cells(
            self.Assignment.get_capacity_board("2026-12-04", "2026-12-04", self.tech_employee.ids),
            self.tech_employee,
        )
        self.assertEqual(cells["2026-12-04"]["booked"], 10.0)
        self.assertEqual(cells["2026-12-04"]["status"], "overbooked")

    def test_free_slots(self):
        slots = self.Assignment.get_free_slots(
            self.tech_employee.ids, "2026-11-30 00:00:00", "2026-12-05 00:00:00", min_hours=4.0
        )
        self.assertEqual(
            [(s["start"], s["end"], s["hours"]) for s in slots],
            [
                ("2026-11-30 13:00:00", "2026-11-30 17:00:00", 4.0),
                ("2026-12-03 08:00:00", "2026-12-03 12:00:00", 4.0),
                ("2026-12-04 13:00:00", "2026-12-04 17:00:00", 4.0),
            ],
        )
        self.assertEqual(slots[0]["employee_name"], "Ada Fixer")
        short = self.Assignment.get_free_slots(
            self.tech_employee.ids, "2026-12-04 09:00:00", "2026-12-04 12:00:00"
        )
        self.assertEqual(
            [(s["start"], s["hours"]) for s in short],
            [("2026-12-04 09:00:00", 1.0), ("2026-12-04 11:00:00", 1.0)],
        )

    def test_technicians_only_see_their_own_row(self):
        board = self.Assignment.with_user(self.technician).get_capacity_board(
            "2026-11-30", "2026-12-06", (self.tech_employee | self.brussels_employee).ids
        )
        self.assertEqual([row["id"] for row in board["employees"]], self.tech_employee.ids)
        dispatcher_board = self.Assignment.with_user(self.dispatcher).get_capacity_board(
            "2026-11-30", "2026-12-06", (self.tech_employee | self.brussels_employee).ids
        )
        self.assertEqual(len(dispatcher_board["employees"]), 2)

    def test_board_query_count_does_not_grow(self):
        many = self.env["hr.employee"].create(
            [{"name": f"Tech {i}", "resource_calendar_id": self.calendar.id, "tz": "UTC"} for i in range(8)]
        )
        many = many | self.tech_employee | self.brussels_employee
        self.Assignment.create(
            [
                {
                    "service_order_id": self.order.id,
                    "employee_id": employee.id,
                    "date_start": f"2026-12-{day:02d} 13:00:00",
                    "date_end": f"2026-12-{day:02d} 15:00:00",
                }
                for employee in many[:8]
                for day in (7, 8, 14, 21)
            ]
        )
        # A first call fills the caches that are not per-request (groups, ormcache).
        self.Assignment.get_capacity_board("2026-11-23", "2026-11-24", many[:1].ids)
        counts = []
        for first, last, employees in (
            ("2026-11-30", "2026-12-06", many[-2:]),
            ("2026-11-30", "2026-12-27", many),
        ):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            board = self.Assignment.get_capacity_board(first, last, employees.ids)
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(len(board["employees"]), len(employees))
        self.assertEqual(counts[0], counts[1], "the board runs the same queries for 2x7 and 10x28")

    def test_which_leaves_count(self):
        """Leaves without a resource count for the employees of their company, on their schedule
        or on none; a personal leave counts on the employee's schedule or on none."""
        other_company = self.env["res.company"].create({"name": "Other Services"})
        Leave = self.env["resource.calendar.leaves"]
        # Monday: a public holiday of another company.
        Leave.create(
            {"name": "Elsewhere", "date_from": "2026-11-30 00:00:00", "date_to": "2026-11-30 23:59:59"}
        ).company_id = other_company
        Leave.create(
            [
                {  # Tuesday: a public holiday of every schedule of our company
                    "name": "Founders' Day",
                    "company_id": self.env.company.id,
                    "calendar_id": False,
                    "date_from": "2026-12-01 00:00:00",
                    "date_to": "2026-12-01 23:59:59",
                },
                {  # Friday morning: time off of Ada, on another schedule
                    "name": "Not on this schedule",
                    "resource_id": self.tech_employee.resource_id.id,
                    "calendar_id": self.env.company.resource_calendar_id.id,
                    "date_from": "2026-12-04 08:00:00",
                    "date_to": "2026-12-04 12:00:00",
                },
            ]
        )
        board = self.Assignment.get_capacity_board("2026-11-30", "2026-12-04", self.tech_employee.ids)
        cells, _row = self._cells(board, self.tech_employee)
        self.assertEqual(
            [cells[day]["capacity"] for day in ("2026-11-30", "2026-12-01", "2026-12-04")], [8.0, 0.0, 8.0]
        )
        self.assertEqual(cells["2026-12-01"]["booked"], 8.0, "booked on a holiday: overbooked")
        self.assertEqual(cells["2026-12-01"]["status"], "overbooked")

    def test_fully_flexible_employee(self):
        """Without a working schedule an employee may work at any time, as in Odoo, and their
        time off takes whole days."""
        flexible = self.env["hr.employee"].create({"name": "Flo Flex", "tz": "UTC"})
        flexible.resource_calendar_id = False
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Errand",
                "resource_id": flexible.resource_id.id,
                "date_from": "2026-11-30 10:00:00",
                "date_to": "2026-11-30 11:00:00",
            }
        )
        assignment = self._assign("2026-12-01 22:00:00", "2026-12-02 02:00:00", employee=flexible)
        self.assertEqual(assignment.planned_hours, 4.0)
        board = self.Assignment.get_capacity_board("2026-11-30", "2026-12-02", flexible.ids)
        cells, row = self._cells(board, flexible)
        self.assertEqual(
            [(c["capacity"], c["booked"], c["free"]) for c in row["cells"]],
            [(0.0, 0.0, 0.0), (24.0, 2.0, 22.0), (24.0, 2.0, 22.0)],
        )
        self.assertEqual(
            [(s["start"], s["end"]) for s in cells["2026-12-02"]["slots"]],
            [("2026-12-02 02:00:00", "2026-12-03 00:00:00")],
        )

    def test_bad_periods(self):
        with self.assertRaisesRegex(ValidationError, "end of the period must be after its start"):
            self.Assignment.get_free_slots(
                self.tech_employee.ids, "2026-12-04 12:00:00", "2026-12-04 08:00:00"
            )
        with self.assertRaisesRegex(ValidationError, "cannot be before its first day"):
            self.Assignment.get_capacity_board("2026-12-04", "2026-12-01")
        with self.assertRaisesRegex(ValidationError, "“2026-13-01” is not a valid date"):
            self.Assignment.get_capacity_board("2026-13-01", "2026-12-01")
        with self.assertRaisesRegex(ValidationError, "“False” is not a valid date"):
            self.Assignment.get_free_slots(self.tech_employee.ids, False, "2026-12-04 08:00:00")
        with self.assertRaisesRegex(ValidationError, "at most 366 days"):
            self.Assignment.get_capacity_board("2026-01-01", "2027-01-02")
        with self.assertRaisesRegex(ValidationError, "at most 366 days"):
            self.Assignment.get_free_slots(
                self.tech_employee.ids, "2026-01-01 00:00:00", "2027-01-03 00:00:00"
            )
        self.assertEqual(len(self.Assignment.get_capacity_board("2026-01-01", "2027-01-01")["days"]), 366)
