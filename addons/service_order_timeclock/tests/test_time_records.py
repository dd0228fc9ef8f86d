from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TimeClockCommon


@tagged("post_install", "-at_install")
class TestTimeRecords(TimeClockCommon):
    def _record(self, check_in, check_out=None, **values):
        return self.Attendance.create(
            {
                "employee_id": self.tech_employee.id,
                "assignment_id": self.assignment.id,
                "check_in": check_in,
                "check_out": check_out,
                **values,
            }
        )

    def assertRefusedByDatabase(self, func):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            func()
            self.env.flush_all()

    def test_the_database_holds_the_invariants(self):
        self._record("2026-11-30 08:00:00", "2026-11-30 10:00:00")
        # Overlap, a second open record, and an end before the start.
        self.assertRefusedByDatabase(lambda: self._record("2026-11-30 09:00:00", "2026-11-30 11:00:00"))
        self._record("2026-11-30 10:00:00")
        self.assertRefusedByDatabase(lambda: self._record("2026-11-30 13:00:00"))
        self.assertRefusedByDatabase(lambda: self._record("2026-11-30 15:00:00", "2026-11-30 16:00:00"))
        self.assertRefusedByDatabase(lambda: self._record("2026-11-29 10:00:00", "2026-11-29 09:00:00"))
        self.assertEqual(self.Attendance.search_count([("employee_id", "=", self.tech_employee.id)]), 2)

    def test_times_out_of_range_refused_by_name(self):
        # A year-1 record would break every grouping of time by week, and the KPIs with it.
        record = self._record("2026-11-30 08:00:00", "2026-11-30 10:00:00")
        as_dispatcher = record.with_user(self.dispatcher)
        for values, shown in (
            ({"check_in": "0001-01-01 08:00:00"}, "0001-01-01 08:00:00"),
            ({"check_out": "9999-12-31 10:00:00"}, "9999-12-31 10:00:00"),
            ({"check_in": "soon"}, "soon"),
        ):
            refusal = f"“{shown}” is not a date and time between 1900 and 2199"
            with self.subTest(values=values):
                with self.assertRaisesRegex(ValidationError, refusal):
                    as_dispatcher.write({**values, "correction_reason": "Typo"})
                with self.assertRaisesRegex(ValidationError, refusal):
                    self._record(**{"check_in": "2026-12-01 08:00:00", **values})
        self.assertEqual(str(record.check_in), "2026-11-30 08:00:00", "the record keeps its times")
        self.assertRefusedByDatabase(
            lambda: self.env.cr.execute(
                "UPDATE service_attendance SET check_in = '1850-01-01' WHERE id = %s", [record.id]
            )
        )

    def test_corrections_need_a_reason_and_are_tracked(self):
        record = self._record("2026-11-30 08:00:00", "2026-11-30 10:00:00")
        as_dispatcher = record.with_user(self.dispatcher)
        with self.assertRaisesRegex(UserError, "a reason is required"):
            as_dispatcher.write({"check_out": "2026-11-30 11:00:00"})
        with self.assertRaisesRegex(UserError, "a reason is required"):
            as_dispatcher.write({"check_out": "2026-11-30 11:00:00", "correction_reason": "   "})
        # Records are tracked from the transaction after their creation.
        self.env.flush_all()
        self.env.cr.precommit.run()
        as_dispatcher.write({"check_out": "2026-11-30 11:00:00", "correction_reason": "Forgot to clock out"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertAlmostEqual(self.order.worked_hours, 3.0)
        tracked = record.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "check_out")
        self.assertEqual(len(tracked), 1)
        with self.assertRaises(AccessError):
            record.with_user(self.technician).write(
                {"check_out": "2026-11-30 12:00:00", "correction_reason": "x"}
            )
        with self.assertRaisesRegex(AccessError, "set by the system"):
            as_dispatcher.write({"is_invoiced": True})

    def test_records_typed_in_need_a_reason_and_no_system_field(self):
        Attendance = self.Attendance.with_user(self.dispatcher)
        values = {
            "employee_id": self.tech_employee.id,
            "assignment_id": self.assignment.id,
            "check_in": "2026-11-30 08:00:00",
            "check_out": "2026-11-30 10:00:00",
        }
        with self.assertRaisesRegex(UserError, "a reason is required"):
            Attendance.create(values)
        for forged in ({"is_invoiced": True}, {"is_far": True}, {"in_distance": 3.0}):
            with self.subTest(forged=forged), self.assertRaisesRegex(AccessError, "set by the system"):
                Attendance.create({**values, **forged, "correction_reason": "Forgot to clock"})
        record = Attendance.create({**values, "correction_reason": "Forgot to clock in from the van"})
        self.assertFalse(record.is_invoiced)
        self.assertAlmostEqual(self.order.worked_hours, 2.0)

    def test_invoiced_time_is_locked(self):
        record = self._record("2026-11-30 08:00:00", "2026-11-30 10:00:00")
        record.sudo().is_invoiced = True
        with self.assertRaisesRegex(UserError, "were invoiced and can no longer change"):
            record.with_user(self.dispatcher).write(
                {"check_out": "2026-11-30 11:00:00", "correction_reason": "x"}
            )
        with self.assertRaisesRegex(UserError, "were invoiced"):
            record.with_user(self.dispatcher).unlink()
        with self.assertRaisesRegex(UserError, "were invoiced"):
            record.sudo().write({"check_in": "2026-11-30 07:00:00"})
        record.sudo().is_invoiced = False  # a credit note unlocks it
        record.with_user(self.dispatcher).unlink()
        self.assertFalse(record.exists())

    def test_technicians_see_only_their_own_time(self):
        mine = self._record("2026-11-30 08:00:00", "2026-11-30 10:00:00")
        colleague_job = self._assign(
            "2026-11-30 08:00:00", "2026-11-30 12:00:00", employee=self.brussels_employee, state="confirmed"
        )
        theirs = self.Attendance.create(
            {
                "employee_id": self.brussels_employee.id,
                "assignment_id": colleague_job.id,
                "check_in": "2026-11-30 08:00:00",
                "check_out": "2026-11-30 09:00:00",
            }
        )
        visible = self.Attendance.with_user(self.technician).search([("id", "in", (mine | theirs).ids)])
        self.assertEqual(visible, mine)
