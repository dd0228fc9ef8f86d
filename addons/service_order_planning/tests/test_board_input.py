import re
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ServicePlanningCommon

WEEK = ("2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06")


@tagged("post_install", "-at_install")
class TestBoardInput(ServicePlanningCommon):
    """The board and the free slots check what they are sent, and cost what the period holds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.long_employee = cls.env["hr.employee"].create(
            {"name": "Liam Long", "resource_calendar_id": cls.calendar.id, "tz": "UTC"}
        )

    def _insert_assignment(self, employee, start, end, planned_hours):
        """An assignment written straight to the table, as one made before assignments had bounds."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            INSERT INTO service_assignment
                   (service_order_id, employee_id, company_id, date_start, date_end, planned_hours, state)
            VALUES (%s, %s, %s, %s, %s, %s, 'confirmed')
            """,
            (self.order.id, employee.id, self.order.company_id.id, start, end, planned_hours),
        )

    def test_employee_ids_must_be_a_list_of_ids(self):
        for user in (self.dispatcher, self.technician):
            Assignment = self.Assignment.with_user(user)
            for bad, named in (
                ([["abc"]], "['abc']"),
                ("17", "'17'"),
                ([True], "True"),
                ([1.5], "1.5"),
                ([2**40], str(2**40)),
                ({"a": 1}, "{'a': 1}"),
            ):
                with self.subTest(user=user.login, employee_ids=bad):
                    with self.assertRaisesRegex(ValidationError, re.escape(f"“{named}”")):
                        Assignment.get_free_slots(bad, "2026-12-01 00:00:00", "2026-12-02 00:00:00")
                    with self.assertRaisesRegex(ValidationError, re.escape(f"“{named}”")):
                        Assignment.get_capacity_board("2026-12-01", "2026-12-02", employee_ids=bad)
        with self.assertRaisesRegex(ValidationError, "“None”"):
            self.Assignment.get_free_slots(None, "2026-12-01 00:00:00", "2026-12-02 00:00:00")
        self.assertEqual(
            len(
                self.Assignment.get_capacity_board("2026-12-01", "2026-12-01", (self.tech_employee.id,))[
                    "employees"
                ]
            ),
            1,
            "a tuple of ids is a list of ids",
        )

    def test_dates_near_the_ends_of_time(self):
        ids = self.tech_employee.ids
        for first, last in (
            ("0001-01-01", "0001-01-03"),
            ("9999-12-30", "9999-12-31"),
            ("1899-12-31", "1900-01-02"),
        ):
            with self.subTest(first=first), self.assertRaisesRegex(ValidationError, f"“{first}” is outside"):
                self.Assignment.with_user(self.dispatcher).get_capacity_board(first, last, ids)
        for start, end, bad in (
            ("0001-01-01 00:00:00", "0001-01-02 00:00:00", "0001-01-01 00:00:00"),
            ("2026-12-01 00:00:00", "9999-12-31 23:59:59", "9999-12-31 23:59:59"),
        ):
            with self.subTest(start=start), self.assertRaisesRegex(ValidationError, f"“{bad}” is outside"):
                self.Assignment.with_user(self.technician).get_free_slots(ids, start, end)
        with self.assertRaisesRegex(ValidationError, "“12” is not a valid date"):
            self.Assignment.get_capacity_board(12, "2026-12-01", ids)

    def test_min_hours_is_a_number_of_hours(self):
        for bad in (-1, "2", True, float("nan"), None, 1e9):
            with (
                self.subTest(min_hours=bad),
                self.assertRaisesRegex(ValidationError, re.escape(f"“{bad!r}”")),
            ):
                self.Assignment.get_free_slots(
                    self.tech_employee.ids, "2026-12-01 00:00:00", "2026-12-02 00:00:00", min_hours=bad
                )
        slots = self.Assignment.get_free_slots(
            self.tech_employee.ids, "2026-12-01 00:00:00", "2026-12-02 00:00:00", min_hours=4
        )
        self.assertEqual(len(slots), 2)

    def test_long_assignment_spreads_over_its_days(self):
        """An assignment over ten days counts, on each day shown, the working hours of that day."""
        assignment = self._assign("2026-11-25 08:00:00", "2026-12-05 00:00:00", employee=self.long_employee)
        self.assertEqual(assignment.planned_hours, 56.0, "7 working days: Wednesday 2 December is a holiday")
        board = self.Assignment.get_capacity_board("2026-11-30", "2026-12-06", self.long_employee.ids)
        (row,) = board["employees"]
        self.assertEqual([cell["booked"] for cell in row["cells"]], [8.0, 8.0, 0.0, 8.0, 8.0, 0.0, 0.0])
        self.assertEqual(row["totals"], {"capacity": 32.0, "booked": 32.0, "free": 0.0})

    def test_board_clips_an_endless_assignment(self):
        """One assignment from 1900 to 2100 (from before assignments had bounds): the board
        follows it only a bounded margin around the days shown, within the same queries, and
        shows the hours of its share of the days shown."""
        # About its working time: 40 hours of each 168 over two centuries.
        self._insert_assignment(self.long_employee, "1900-01-01", "2100-01-01", 200 * 8766 * 40 / 168)
        ranges = []
        Employee = type(self.env["hr.employee"])
        engine = Employee._service_availability

        def spy(employees, start, end):
            ranges.append((start, end))
            return engine(employees, start, end)

        self.Assignment.get_capacity_board("2026-11-23", "2026-11-23", self.long_employee.ids)
        self.env.invalidate_all()
        # Work other modules left for the commit (the KPI capacity of the new employee) runs
        # at the next flush: before the spy, it is not the board's.
        self.env.cr.flush()
        # Ten queries, and one for the orders of the jobs shown.
        with patch.object(Employee, "_service_availability", spy), self.assertQueryCount(11):
            board = self.Assignment.get_capacity_board("2026-11-30", "2026-12-06", self.long_employee.ids)
        ((start, end),) = ranges
        self.assertLessEqual(end - start, (7 + 2 * 31) * 86400, "the days shown and a month either side")
        (row,) = board["employees"]
        cells = {cell["date"]: cell for cell in row["cells"]}
        for day in WEEK:
            expected = 0.0 if day in ("2026-12-02", "2026-12-05", "2026-12-06") else 8.0
            self.assertAlmostEqual(cells[day]["booked"], expected, delta=0.5, msg=day)
        self.assertEqual(
            self.Assignment.get_free_slots(
                self.long_employee.ids, "2026-11-30 00:00:00", "2026-12-07 00:00:00"
            ),
            [],
        )

    def test_board_query_budget(self):
        """An explicit budget for the board, whatever the number of employees and days."""
        employees = self.env["hr.employee"].create(
            [{"name": f"Tech {i}", "resource_calendar_id": self.calendar.id, "tz": "UTC"} for i in range(12)]
        )
        self.Assignment.create(
            [
                {
                    "service_order_id": self.order.id,
                    "employee_id": employee.id,
                    "date_start": f"2026-12-{day:02d} 13:00:00",
                    "date_end": f"2026-12-{day:02d} 15:00:00",
                }
                for employee in employees
                for day in (1, 3, 8, 15)
            ]
        )
        self.Assignment.get_capacity_board("2026-11-23", "2026-11-23", employees[:1].ids)
        for first, last, staff in (
            ("2026-11-30", "2026-12-06", employees[:2]),
            ("2026-11-30", "2026-12-27", employees),
        ):
            self.env.invalidate_all()
            # Ten queries, and one for the orders of the jobs shown.
            with self.subTest(days=last, employees=len(staff)), self.assertQueryCount(11):
                board = self.Assignment.get_capacity_board(first, last, staff.ids)
            self.assertEqual(len(board["employees"]), len(staff))
