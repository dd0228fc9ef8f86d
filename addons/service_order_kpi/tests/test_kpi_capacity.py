from unittest.mock import patch

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged

from .common import ServiceKpiCommon


@tagged("post_install", "-at_install")
class TestKpiCapacity(ServiceKpiCommon):
    def capacity(self, employee):
        return self.figures(self.week_domain(employee), measures=("capacity_hours",))["capacity_hours"]

    def test_week_with_public_holiday(self):
        # Mon, Tue, Thu, Fri at 8 hours; Wednesday is the public holiday.
        self.assertAlmostEqual(self.capacity(self.tech_employee), 32.0)
        days = self.Capacity.search([("employee_id", "=", self.tech_employee.id)]).mapped("date")
        self.assertNotIn("2026-12-02", [str(day) for day in days])

    def test_time_off_refreshes_the_employee(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "resource_id": self.tech_employee.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": "2026-12-03 13:00:00",
                "date_to": "2026-12-03 17:00:00",
            }
        )
        self.assertAlmostEqual(self.capacity(self.tech_employee), 28.0)

    def test_time_off_at_the_ends_of_the_calendar(self):
        """A closure "until further notice" (to 31 December 9999) or a leave typed on 1 January
        of year 1 is saved: its days outside the capacity window are never recomputed, and its
        days inside it are."""
        Leave = self.env["resource.calendar.leaves"]
        Leave.create(
            {
                "name": "Typed in year 1",
                "resource_id": self.brussels_employee.resource_id.id,
                "date_from": "0001-01-01 00:00:00",
                "date_to": "0001-01-02 00:00:00",
            }
        )
        closure = Leave.create(
            {
                "name": "Closed until further notice",
                "resource_id": self.tech_employee.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": "2026-12-03 00:00:00",
                "date_to": "9999-12-31 23:59:59",
            }
        )
        # Mon and Tue at 8 hours; Wednesday's holiday; closed from Thursday on.
        self.assertAlmostEqual(self.capacity(self.tech_employee), 16.0)
        closure.date_from = "0001-01-01 00:00:00"
        self.assertAlmostEqual(self.capacity(self.tech_employee), 0.0)
        closure.unlink()
        self.assertAlmostEqual(self.capacity(self.tech_employee), 32.0)

    def test_leave_targets_read_in_one_batch(self):
        """Whose days a batch of leaves changes is read in a fixed number of queries, however
        many leaves: importing a year of public holidays does not search once per day."""
        Leave = self.env["resource.calendar.leaves"]

        def leaves(count):
            days = [f"2026-12-{10 + n}" for n in range(count)]
            return Leave.create(
                [
                    {
                        "name": f"Off {day}",
                        "resource_id": self.tech_employee.resource_id.id,
                        "date_from": f"{day} 08:00:00",
                        "date_to": f"{day} 12:00:00",
                    }
                    for day in days
                ]
                + [
                    {
                        "name": f"Holiday {day}",
                        "calendar_id": self.calendar.id,
                        "company_id": self.company.id,
                        "date_from": f"{day} 00:00:00",
                        "date_to": f"{day} 23:59:59",
                    }
                    for day in days
                ]
            )

        def targets(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            found = records._service_kpi_targets()
            return self.env.cr.sql_log_count - before, found

        few_queries, _few = targets(leaves(1))
        many_queries, many = targets(leaves(6))
        self.assertEqual(many_queries, few_queries)
        self.assertEqual(len(many), 12)
        day = fields.Date.to_date
        self.assertEqual(many[0], (self.tech_employee, day("2026-12-09"), day("2026-12-11")))
        versions = self.env["hr.version"].with_context(active_test=False)
        on_calendar = versions.search([("resource_calendar_id", "=", self.calendar.id)]).employee_id
        self.assertIn(self.tech_employee, many[-1][0])
        self.assertEqual(many[-1][0], on_calendar.filtered(lambda e: e.company_id == self.company))
        # A closure of no company (only code can clear it), read with leaves of one, closes
        # every company.
        other = self.env["res.company"].create({"name": "Other Services"})
        elsewhere = self.env["hr.employee"].create({"name": "Oda Other", "company_id": other.id})
        closure = Leave.create(
            {"name": "Everybody off", "date_from": "2026-12-24 00:00:00", "date_to": "2026-12-24 23:59:59"}
        )
        closure.company_id = False
        _queries, mixed = targets(closure | leaves(1))
        self.assertIn(elsewhere, mixed[0][0])
        self.assertNotIn(elsewhere, mixed[-1][0])

    def test_contract_version_change_in_the_month(self):
        half_days = self.env["resource.calendar"].create(
            {
                "name": "Mornings UTC",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"{day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 12,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        self.tech_employee.create_version(
            {"date_version": "2026-12-03", "resource_calendar_id": half_days.id}
        )
        # Mon, Tue at 8 hours, Wednesday's holiday (on the old schedule), Thu, Fri at 4 hours.
        self.assertAlmostEqual(self.capacity(self.tech_employee), 24.0)

    def test_incremental_refresh_touches_only_the_changed_employee(self):
        before = {
            row.id: row.refreshed_at
            for row in self.Capacity.search([("employee_id", "=", self.brussels_employee.id)])
        }
        self.assertTrue(before)
        self.env.cr.execute("UPDATE service_kpi_capacity SET refreshed_at = '2020-01-01'")
        self.Capacity.invalidate_model()
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Training",
                "resource_id": self.tech_employee.resource_id.id,
                "date_from": "2026-11-30 08:00:00",
                "date_to": "2026-11-30 17:00:00",
            }
        )
        after = self.Capacity.search([("employee_id", "=", self.brussels_employee.id)])
        self.assertEqual(set(after.ids), set(before))
        self.assertEqual({str(row.refreshed_at) for row in after}, {"2020-01-01 00:00:00"})
        touched = self.Capacity.search(
            [("employee_id", "=", self.tech_employee.id), ("refreshed_at", ">", "2020-01-01")]
        )
        # Only the days around the leave were rewritten, and Monday has no working time left.
        self.assertEqual(sorted(str(day) for day in touched.mapped("date")), ["2026-12-01"])
        self.assertAlmostEqual(self.capacity(self.tech_employee), 24.0)

    def test_rebuild_and_last_refresh(self):
        self.env.cr.execute("UPDATE service_kpi_capacity SET refreshed_at = '2020-01-01'")
        self.assertEqual(str(self.Capacity._last_refresh(self.week_domain())), "2020-01-01 00:00:00")
        written = self.Capacity._rebuild()
        self.assertGreater(written, 0)
        self.assertGreater(self.Capacity._last_refresh(self.week_domain()).year, 2020)
        self.assertAlmostEqual(self.capacity(self.tech_employee), 32.0)

    def test_archived_employee_keeps_history(self):
        today = fields.Date.today()
        rows = self.Capacity.search([("employee_id", "=", self.tech_employee.id)])
        past = rows.filtered(lambda row: row.date < today)
        self.assertTrue(past)
        self.assertTrue(rows - past)
        self.tech_employee.active = False
        self.assertEqual(self.Capacity.search([("employee_id", "=", self.tech_employee.id)]), past)

    def test_schedule_change_refreshes_its_employees(self):
        friday_afternoon = self.calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == "4" and a.day_period == "afternoon"
        )
        friday_afternoon.hour_to = 15.0
        self.assertAlmostEqual(self.capacity(self.tech_employee), 30.0)
        self.assertAlmostEqual(self.capacity(self.brussels_employee), 30.0)

    def test_changes_of_one_transaction_are_refreshed_once(self):
        Capacity = type(self.Capacity)
        refresh = Capacity._refresh
        calls = []

        def spy(model, employees=None, date_from=None, date_to=None):
            calls.append((employees, date_from, date_to))
            return refresh(model, employees, date_from, date_to)

        with patch.object(Capacity, "_refresh", spy):
            employee = self.env["hr.employee"].create(
                {"name": "Nora New", "resource_calendar_id": self.calendar.id, "tz": "UTC"}
            )
            employee.tz = "Europe/Brussels"
            self.env.cr.flush()
        # Its version, its employee and the change of time zone: one refresh of the window.
        self.assertEqual(
            [(employees.ids, low, high) for employees, low, high in calls], [(employee.ids, None, None)]
        )
        self.assertAlmostEqual(self.capacity(employee), 32.0)
