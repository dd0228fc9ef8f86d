from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from .common import ServicePlanningCommon

WEEK = ("2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06")


@tagged("post_install", "-at_install")
class TestAvailabilityEngine(ServicePlanningCommon):
    """``hr.employee._service_availability`` follows the contract version valid on each day, the
    time off stored with each version's schedule, and flexible-hours schedules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mornings = cls.env["resource.calendar"].create(
            {
                "name": "Mornings UTC",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {"name": f"{day} morning", "dayofweek": str(day), "hour_from": 8, "hour_to": 12}
                    )
                    for day in range(5)
                ],
            }
        )
        # From Wednesday on, Vera works mornings only; the public holiday of Wednesday belongs to
        # her former schedule.
        cls.vera = cls.env["hr.employee"].create(
            {"name": "Vera Version", "resource_calendar_id": cls.calendar.id, "tz": "UTC"}
        )
        cls.vera.create_version({"date_version": "2026-12-02", "resource_calendar_id": cls.mornings.id})
        cls.flex_calendar = cls.env["resource.calendar"].create(
            {
                "name": "Flexible 32h",
                "tz": "UTC",
                "schedule_type": "flexible",
                "hours_per_day": 8.0,
                "hours_per_week": 32.0,
            }
        )
        cls.flo = cls.env["hr.employee"].create(
            {"name": "Flo Flexible", "resource_calendar_id": cls.flex_calendar.id, "tz": "UTC"}
        )

    def _row(self, employee, first="2026-11-30", last="2026-12-06"):
        board = self.Assignment.get_capacity_board(first, last, employee.ids)
        (row,) = board["employees"]
        return {cell["date"]: cell for cell in row["cells"]}, row

    def _leave(self, employee, calendar, start, end):
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Time off",
                "resource_id": employee.resource_id.id,
                "calendar_id": calendar.id,
                "date_from": start,
                "date_to": end,
            }
        )

    def test_schedule_follows_the_contract_version(self):
        cells, row = self._row(self.vera)
        self.assertEqual(
            [cells[day]["capacity"] for day in WEEK],
            [8.0, 8.0, 4.0, 4.0, 4.0, 0.0, 0.0],
            "8 hours a day until Tuesday, mornings from Wednesday, whose holiday is not hers anymore",
        )
        self.assertEqual(row["totals"]["capacity"], 28.0)
        # Tuesday afternoon and Wednesday morning: 4 working hours on each schedule.
        spanning = self._assign("2026-12-01 13:00:00", "2026-12-02 12:00:00", employee=self.vera)
        self.assertEqual(spanning.planned_hours, 8.0)
        thursday = self._assign("2026-12-03 08:00:00", "2026-12-03 17:00:00", employee=self.vera)
        self.assertEqual(thursday.planned_hours, 4.0, "only the morning is working time from Wednesday")
        self.assertIn("outside the working hours", thursday.capacity_warning)
        cells, _row = self._row(self.vera)
        self.assertEqual(
            [(cells[day]["booked"], cells[day]["free"]) for day in WEEK[1:5]],
            [(4.0, 4.0), (4.0, 0.0), (4.0, 0.0), (0.0, 4.0)],
        )
        slots = self.Assignment.get_free_slots(self.vera.ids, "2026-12-04 00:00:00", "2026-12-05 00:00:00")
        self.assertEqual(
            [(s["start"], s["end"]) for s in slots], [("2026-12-04 08:00:00", "2026-12-04 12:00:00")]
        )

    def test_leaves_follow_the_schedule_of_their_version(self):
        """Time off is stored with the schedule of the version it was taken on: it counts on the
        days that schedule is valid."""
        self._leave(self.vera, self.calendar, "2026-11-30 13:00:00", "2026-11-30 17:00:00")
        # Thursday: stored with her former schedule, so not hers on that day.
        self._leave(self.vera, self.calendar, "2026-12-03 08:00:00", "2026-12-03 10:00:00")
        self._leave(self.vera, self.mornings, "2026-12-04 08:00:00", "2026-12-04 10:00:00")
        cells, _row = self._row(self.vera)
        self.assertEqual([cells[day]["capacity"] for day in WEEK[:5]], [4.0, 8.0, 4.0, 4.0, 2.0])
        schedules = self.vera._service_availability(
            fields.Datetime.to_datetime("2026-11-30 00:00:00"),
            fields.Datetime.to_datetime("2026-12-07 00:00:00"),
        )
        self.assertEqual(len(schedules[self.vera.id].leave), 2, "Monday afternoon and Friday morning")

    def test_no_working_time_outside_the_contract(self):
        """A version with a contract gives no working time after the contract ends."""
        cora = self.env["hr.employee"].create(
            {"name": "Cora Contract", "resource_calendar_id": self.calendar.id, "tz": "UTC"}
        )
        cora.version_id.write({"contract_date_start": "2026-11-01", "contract_date_end": "2026-12-02"})
        cells, _row = self._row(cora)
        self.assertEqual([cells[day]["capacity"] for day in WEEK[:5]], [8.0, 8.0, 0.0, 0.0, 0.0])
        friday = self._assign("2026-12-04 08:00:00", "2026-12-04 12:00:00", employee=cora)
        self.assertIn("outside the working hours", friday.capacity_warning)
        self.assertFalse(
            self.Assignment.get_free_slots(cora.ids, "2026-12-03 00:00:00", "2026-12-05 00:00:00"),
        )
        # A new contract from Friday: working again from that day, on its version's schedule.
        cora.create_version(
            {
                "date_version": "2026-12-04",
                "contract_date_start": "2026-12-04",
                "contract_date_end": False,
                "resource_calendar_id": self.mornings.id,
            }
        )
        cells, _row = self._row(cora)
        self.assertEqual([cells[day]["capacity"] for day in WEEK[:5]], [8.0, 8.0, 0.0, 0.0, 4.0])

    def test_flexible_hours(self):
        """A flexible-hours schedule: 8 hours on each of the first four days of the week (32
        hours), bookable at any time of those days."""
        cells, row = self._row(self.flo)
        self.assertEqual([cells[day]["capacity"] for day in WEEK], [8.0, 8.0, 8.0, 8.0, 0.0, 0.0, 0.0])
        self.assertEqual(row["totals"]["capacity"], 32.0)
        evening = self._assign("2026-12-01 18:00:00", "2026-12-01 22:00:00", employee=self.flo)
        self.assertEqual(evening.planned_hours, 4.0)
        self.assertFalse(evening.capacity_warning, "an evening is working time on flexible hours")
        whole_day = self._assign("2026-12-02 00:00:00", "2026-12-03 00:00:00", employee=self.flo)
        self.assertEqual(whole_day.planned_hours, 8.0, "a day counts its 8 hours, not 24")
        friday = self._assign("2026-12-04 09:00:00", "2026-12-04 11:00:00", employee=self.flo)
        self.assertIn("outside the working hours", friday.capacity_warning)
        self._leave(self.flo, self.flex_calendar, "2026-11-30 08:00:00", "2026-11-30 12:00:00")
        cells, _row = self._row(self.flo)
        self.assertEqual(
            [(cells[day]["capacity"], cells[day]["booked"], cells[day]["free"]) for day in WEEK[:3]],
            [(4.0, 0.0, 4.0), (8.0, 4.0, 4.0), (8.0, 8.0, 0.0)],
        )
        self.assertEqual([cells[day]["status"] for day in WEEK[:3]], ["free", "partial", "full"])
        self.assertEqual(
            [(s["start"], s["end"]) for s in cells["2026-12-01"]["slots"]],
            [("2026-12-01 00:00:00", "2026-12-01 18:00:00"), ("2026-12-01 22:00:00", "2026-12-02 00:00:00")],
        )
        slots = self.Assignment.get_free_slots(
            self.flo.ids, "2026-12-01 12:00:00", "2026-12-01 20:00:00", min_hours=2.0
        )
        self.assertEqual([(s["start"], s["hours"]) for s in slots], [("2026-12-01 12:00:00", 6.0)])

    def test_one_engine_for_many_employees(self):
        """The engine costs the same queries for one employee over a week as for many over two
        months, and shares one Schedule between employees with the same working time."""
        many = self.env["hr.employee"].create(
            [{"name": f"Copy {i}", "resource_calendar_id": self.calendar.id, "tz": "UTC"} for i in range(10)]
        )
        week = (1796083200.0, 1796688000.0)  # 2026-12-01 to 2026-12-08, UTC
        many[:1]._service_availability(*week)
        counts = []
        for employees, (start, end) in ((many[:1], week), (many, (week[0], week[1] + 60 * 86400))):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            schedules = employees._service_availability(start, end)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(len({id(schedules[employee.id]) for employee in many}), 1)
        self.env.invalidate_all()
        with self.assertQueryCount(9):
            (many | self.vera | self.flo)._service_availability(*week)
