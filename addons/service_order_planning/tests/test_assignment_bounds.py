import re
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import ServicePlanningCommon


@tagged("post_install", "-at_install")
class TestAssignmentBounds(ServicePlanningCommon):
    """Assignments have a maximum length, dates in a sane window and planned hours that fit in
    them, whoever writes them and however many at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.DispatcherAssignment = cls.Assignment.with_user(cls.dispatcher)

    def _values(self, start, end, **values):
        return {
            "service_order_id": self.order.id,
            "employee_id": self.tech_employee.id,
            "date_start": start,
            "date_end": end,
            **values,
        }

    def test_maximum_length_default(self):
        self.assertEqual(self.company.service_max_assignment_days, 14)
        fortnight = self.DispatcherAssignment.create(
            self._values("2026-12-07 08:00:00", "2026-12-21 08:00:00")
        )
        with self.assertRaisesRegex(
            ValidationError,
            rf"{self.order.name}: the assignment of Ada Fixer from 2027-01-04 08:00 \(UTC\) to "
            rf"2027-01-18 08:00 \(UTC\) lasts 14 days, 0:00:01; {re.escape(self.company.name)} allows "
            "at most 14 days",
        ):
            self.DispatcherAssignment.create(self._values("2027-01-04 08:00:00", "2027-01-18 08:00:01"))
        with self.assertRaisesRegex(ValidationError, r"lasts 15 days, 0:00:00"):
            fortnight.with_user(self.dispatcher).date_end = "2026-12-22 08:00:00"
        self.assertEqual(str(fortnight.date_end), "2026-12-21 08:00:00")

    def test_maximum_length_setting(self):
        settings = Form(self.env["res.config.settings"])
        settings.service_max_assignment_days = 2
        settings.save().execute()
        self.assertEqual(self.company.service_max_assignment_days, 2)
        self.DispatcherAssignment.create(self._values("2026-11-30 08:00:00", "2026-12-02 08:00:00"))
        with self.assertRaisesRegex(
            ValidationError, rf"lasts 2 days, 1:00:00; {re.escape(self.company.name)} allows at most 2 days"
        ):
            self.DispatcherAssignment.create(self._values("2026-12-03 08:00:00", "2026-12-05 09:00:00"))
        for days in (0, -3, 367):
            with self.assertRaises(ValidationError) as caught:
                self.company.service_max_assignment_days = days
            self.assertIn(f"between 1 and 366 days, not {days}.", str(caught.exception))
        # Behind the Python check, the database holds the same rule.
        self.assertConstraintRefuses(
            "res.company",
            "The maximum assignment length must be between 1 and 366 days.",
            lambda: self.env.cr.execute(
                SQL("UPDATE res_company SET service_max_assignment_days = 400 WHERE id = %s", self.company.id)
            ),
        )

    def test_date_window(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"from 1900-01-01 00:00 \(UTC\) to 2100-01-01 00:00 \(UTC\) is outside the dates that can be "
            r"planned, 2000-01-01 to 2101-01-01",
        ):
            self.DispatcherAssignment.create(self._values("1900-01-01 00:00:00", "2100-01-01 00:00:00"))
        with self.assertRaisesRegex(ValidationError, r"from 1999-12-31 20:00 \(UTC\)"):
            self.DispatcherAssignment.create(self._values("1999-12-31 20:00:00", "2000-01-01 04:00:00"))
        with self.assertRaisesRegex(ValidationError, r"to 2101-01-01 04:00 \(UTC\) is outside"):
            self.DispatcherAssignment.create(self._values("2100-12-31 20:00:00", "2101-01-01 04:00:00"))
        # Cancelled assignments too: computing their planned hours costs what they last.
        with self.assertRaisesRegex(ValidationError, "is outside the dates"):
            self.DispatcherAssignment.create(
                self._values("0001-01-01 00:00:00", "9999-12-31 00:00:00", state="cancelled")
            )
        edge = self.DispatcherAssignment.create(self._values("2000-01-03 08:00:00", "2000-01-03 12:00:00"))
        with self.assertRaisesRegex(ValidationError, r"from 1900-01-03 08:00 \(UTC\)"):
            edge.date_start = "1900-01-03 08:00:00"
        with self.assertRaisesRegex(ValidationError, "“2026-11-31 08:00:00” is not a valid date and time"):
            edge.write({"date_start": "2026-11-31 08:00:00"})
        self.assertEqual(str(edge.date_start), "2000-01-03 08:00:00")

    def test_planned_hours_fit_in_the_assignment(self):
        with self.assertRaisesRegex(
            ValidationError,
            rf"{self.order.name}: 1000000000:00 of planned work do not fit in the assignment of Ada Fixer "
            r"from 2026-11-30 08:00 \(UTC\) to 2026-11-30 10:00 \(UTC\), which lasts 02:00",
        ):
            self.DispatcherAssignment.create(
                self._values("2026-11-30 08:00:00", "2026-11-30 10:00:00", planned_hours=1e9)
            )
        slot = self.DispatcherAssignment.create(self._values("2026-11-30 08:00:00", "2026-11-30 10:00:00"))
        slot.planned_hours = 2.0
        with self.assertRaisesRegex(ValidationError, "02:30 of planned work do not fit"):
            slot.write({"planned_hours": 2.5})
        with self.assertRaisesRegex(ValidationError, r"cannot be negative \(-1\)"):
            slot.write({"planned_hours": -1})
        with self.assertRaisesRegex(ValidationError, "“lots” is not a number of hours"):
            slot.write({"planned_hours": "lots"})
        with self.assertRaisesRegex(ValidationError, "“inf” is not a number of hours"):
            slot.write({"planned_hours": float("inf")})
        with self.assertRaisesRegex(ValidationError, "03:00 of planned work do not fit .* which lasts 01:00"):
            slot.write({"date_end": "2026-11-30 09:00:00", "planned_hours": 3})
        # In a batch: everything is refused, each bad value named.
        with self.assertRaises(ValidationError) as caught:
            self.DispatcherAssignment.create(
                [
                    self._values("2026-12-01 08:00:00", "2026-12-01 10:00:00", planned_hours=1.5),
                    self._values("2026-12-03 08:00:00", "2026-12-03 10:00:00", planned_hours=7),
                    self._values("2026-12-04 08:00:00", "2026-12-04 10:00:00", planned_hours=-2),
                ]
            )
        self.assertIn("07:00 of planned work do not fit", str(caught.exception))
        self.assertIn("cannot be negative (-2)", str(caught.exception))
        self.assertEqual(self.order.assignment_ids, slot)
        self.assertEqual(slot.planned_hours, 2.0)
        day = self.DispatcherAssignment.create(self._values("2026-12-01 08:00:00", "2026-12-01 12:00:00"))
        with self.assertRaises(ValidationError) as caught:
            (slot | day).write({"planned_hours": 3})
        self.assertIn(
            "03:00 of planned work do not fit in the assignment of Ada Fixer from 2026-11-30",
            str(caught.exception),
        )
        self.assertNotIn("2026-12-01", str(caught.exception), "the day has room for 3 hours")
        self.assertEqual((slot | day).mapped("planned_hours"), [2.0, 4.0])

    def test_database_refuses_planned_hours_beyond_the_dates(self):
        slot = self._assign("2026-11-30 08:00:00", "2026-11-30 10:00:00")
        with patch.object(type(self.Assignment), "_check_bounds", lambda self, rows: None):
            self.assertConstraintRefuses(
                "service.assignment",
                "The planned hours of an assignment cannot exceed the time between its start and its end.",
                lambda: slot.write({"planned_hours": 2.01}),
            )

    def test_planned_hours_rounded_to_the_second(self):
        slot = self.DispatcherAssignment.create(
            self._values("2026-11-30 08:00:00", "2026-12-01 04:00:00", planned_hours=18.99999999947)
        )
        self.env.invalidate_all()
        self.assertEqual(slot.planned_hours, 19.0)
        slot.planned_hours = 7 + 1 / 3 + 1e-9
        self.env.invalidate_all()
        self.assertEqual(slot.planned_hours, 26400 / 3600)
        self.assertEqual(self.order.planned_hours, slot.planned_hours)

    def test_forged_bookings_are_refused_before_any_check(self):
        """A technician may not create assignments: refused before the booking checks could tell
        them about other people's bookings. A forged id gets a clear error, not a database one."""
        self._assign("2026-11-30 08:00:00", "2026-11-30 12:00:00", state="confirmed")
        values = {
            "service_order_id": self.order.id,
            "employee_id": self.tech_employee.id,
            "date_start": "2026-11-30 09:00:00",
            "date_end": "2026-11-30 10:00:00",
        }
        with self.assertRaises(AccessError) as caught:
            self.Assignment.with_user(self.technician).create(values)
        self.assertNotIn("already booked", str(caught.exception))
        Assignment = self.Assignment.with_user(self.dispatcher)
        for name, forged in (("service_order_id", "abc"), ("employee_id", [1]), ("site_id", 2**40)):
            with self.subTest(field=name), self.assertRaisesRegex(ValidationError, "is not a valid"):
                Assignment.create({**values, name: forged, "date_start": "2026-12-01 09:00:00"})
