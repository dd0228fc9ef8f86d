import io
import re
import tempfile
import zipfile
from datetime import date
from unittest.mock import patch

import openpyxl
from openpyxl.utils import get_column_letter

from odoo import models
from odoo.addons.service_order_kpi.wizards import service_kpi_export
from odoo.addons.service_order_timeclock.tests.common import TimeClockCommon
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

MEASURES = ["capacity_hours", "planned_hours", "worked_hours", "travel_hours", "billable_hours", "sold_hours"]
MONEY = ["cost", "revenue", "margin"]


@tagged("post_install", "-at_install")
class TestKpiExport(TimeClockCommon):
    """November and December 2026: Ada travels and works on Acme's order on Monday 30 November,
    Bram on Globex's order on Tuesday 1 December; a second company has a technician of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech_employee.hourly_cost = 40.0
        cls.brussels_employee.hourly_cost = 55.0
        cls.globex = cls.env["res.partner"].create({"name": "Globex", "is_company": True})
        cls.globex_order = cls._create_order(partner_id=cls.globex.id, sold_hours=6.0)
        bram_assignment = cls._assign(
            "2026-12-01 08:00:00",
            "2026-12-01 12:00:00",
            employee=cls.brussels_employee,
            order=cls.globex_order,
            state="confirmed",
        )
        cls.env["service.attendance"].create(
            [
                cls._record(cls.assignment, "travel", "2026-11-30 08:00:00", "2026-11-30 08:30:00"),
                cls._record(cls.assignment, "work", "2026-11-30 08:30:00", "2026-11-30 11:45:00"),
                cls._record(bram_assignment, "work", "2026-12-01 08:00:00", "2026-12-01 10:00:00"),
            ]
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Services"})
        cls.other_employee = cls.env["hr.employee"].create(
            {
                "name": "Zoe Elsewhere",
                "company_id": cls.other_company.id,
                "resource_calendar_id": cls.calendar.copy({"company_id": cls.other_company.id}).id,
                "tz": "UTC",
            }
        )
        cls.manager.company_ids += cls.other_company
        cls.env["service.kpi.capacity"]._refresh(
            cls.tech_employee | cls.brussels_employee | cls.other_employee,
            date(2026, 11, 1),
            date(2026, 12, 31),
        )
        cls.Report = cls.env["service.kpi.report"]
        cls.period = [("date", ">=", "2026-11-01"), ("date", "<=", "2026-12-31")]

    @classmethod
    def _record(cls, assignment, kind, check_in, check_out):
        return {
            "employee_id": assignment.employee_id.id,
            "assignment_id": assignment.id,
            "kind": kind,
            "check_in": check_in,
            "check_out": check_out,
        }

    def _export(self, user, companies=None, **values):
        """The workbook the user downloads: (formulas, cached values, the file's zip)."""
        Export = self.env["service.kpi.export"].with_user(user)
        if companies:
            Export = Export.with_context(allowed_company_ids=companies.ids)
        wizard = Export.create({"date_from": "2026-11-01", "date_to": "2026-12-31", **values})
        action = wizard.action_export()
        self.assertEqual(action["url"], f"/service_order_kpi/export/{wizard.id}")
        self.assertEqual(action["target"], "download")
        with tempfile.TemporaryDirectory() as folder, open(wizard._write_workbook(folder), "rb") as file:
            content = file.read()
        return self._open(content)

    @staticmethod
    def _open(content):
        return (
            openpyxl.load_workbook(io.BytesIO(content)),
            openpyxl.load_workbook(io.BytesIO(content), data_only=True),
            zipfile.ZipFile(io.BytesIO(content)),
        )

    def _expected(self, user, groupby, measures, companies=None):
        """The report's own figures per group, as the pivot gets them, keyed by label."""
        Report = self.Report.with_user(user)
        if companies:
            Report = Report.with_context(allowed_company_ids=companies.ids)
        groups = Report._read_group(self.period, [groupby], [f"{m}:sum" for m in measures])
        return {
            (key.display_name or "None") if isinstance(key, models.BaseModel) else key: sums
            for key, *sums in groups
        }

    def _rows(self, sheet):
        """The data rows of a sheet, header and totals row left out, as {label: [values]}."""
        rows = list(sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1, values_only=True))
        return {row[0]: list(row[1:]) for row in rows}

    def _headers(self, sheet):
        return [cell.value for cell in sheet[1]]

    def test_sheets_match_the_report(self):
        _formulas, values, _archive = self._export(
            self.manager, by_partner=True, by_service_order=True, by_detail=True
        )
        self.assertEqual(
            values.sheetnames, ["Over Time", "By Employee", "By Customer", "By Service Order", "Detail"]
        )
        measures = MEASURES + MONEY
        employees = values["By Employee"]
        expected = self._expected(self.manager, "employee_id", measures)
        self.assertEqual(set(self._rows(employees)), set(expected))
        self.assertIn(self.tech_employee.name, expected)
        for label, figures in self._rows(employees).items():
            for measure, got, want in zip(measures, figures, expected[label], strict=False):
                self.assertAlmostEqual(got, want, places=6, msg=f"{label}: {measure}")
        labels = [
            row[0] for row in employees.iter_rows(min_row=2, max_row=employees.max_row - 1, values_only=True)
        ]
        named = [label for label in labels if label != "None"]
        self.assertEqual(named, sorted(named), "groups come in the order of their names")
        self.assertEqual(labels[len(named) :], ["None"] * (len(labels) - len(named)), "rows of no one last")

        customers = self._rows(values["By Customer"])
        self.assertEqual(set(customers), set(self._expected(self.manager, "partner_id", measures)))
        months = self._rows(values["Over Time"])
        by_month = self._expected(self.manager, "date:month", measures)
        self.assertEqual(len(months), len(by_month))
        for (month, figures), want in zip(
            sorted(months.items()), [by_month[k] for k in sorted(by_month)], strict=True
        ):
            self.assertAlmostEqual(figures[0], want[0], places=6, msg=f"{month}: capacity")
            self.assertAlmostEqual(figures[2], want[2], places=6, msg=f"{month}: worked")
        detail = values["Detail"]
        self.assertEqual(self._headers(detail)[:3], ["Date", "Employee", "Service Order"])
        detail_groups = self.Report.with_user(self.manager)._read_group(
            self.period, ["date:day", "employee_id", "service_order_id"], ["__count"]
        )
        self.assertEqual(detail.max_row - 2, len(detail_groups))

    def test_totals_ratios_and_formats(self):
        formulas, values, _archive = self._export(self.manager, by_detail=True)
        measures = MEASURES + MONEY
        # Totals: SUBTOTAL over the data rows (what the autofilter shows), with their value.
        sheet, cached = formulas["By Employee"], values["By Employee"]
        last = sheet.max_row
        headers = self._headers(sheet)
        self.assertEqual(sheet.cell(last, 1).value, "Total")
        for column in range(2, 2 + len(measures)):
            letter = get_column_letter(column)
            self.assertEqual(sheet.cell(last, column).value, f"=SUBTOTAL(109,{letter}2:{letter}{last - 1})")
            self.assertAlmostEqual(
                cached.cell(last, column).value,
                sum(cached.cell(row, column).value for row in range(2, last)),
                places=6,
            )
        # Ratios are Excel formulas on their row, cached with their value.
        utilization = headers.index("Utilization") + 1
        capacity, worked_col = headers.index("Capacity (h)") + 1, headers.index("Worked (h)") + 1
        self.assertEqual(
            sheet.cell(2, utilization).value,
            f"=IF(({get_column_letter(capacity)}2)=0,0,{get_column_letter(worked_col)}2/({get_column_letter(capacity)}2))",
        )
        for row in range(2, last + 1):
            capacity_value = cached.cell(row, capacity).value
            want = cached.cell(row, worked_col).value / capacity_value if capacity_value else 0.0
            self.assertAlmostEqual(cached.cell(row, utilization).value, want, places=6)
        self.assertIn("Margin %", headers)
        self.assertIn("Revenue / Hour", headers)

        # Formats, frozen header and group columns, autofilter over header and data.
        self.assertEqual(sheet.cell(2, capacity).number_format, "#,##0.00")
        self.assertEqual(
            sheet.cell(2, headers.index(f"Cost ({self.env.company.currency_id.name})") + 1).number_format,
            "#,##0.00",
        )
        self.assertEqual(sheet.cell(2, utilization).number_format, "0.0%")
        self.assertEqual(formulas["Over Time"].cell(2, 1).number_format, "mmm yyyy")
        self.assertIsInstance(values["Over Time"].cell(2, 1).value.date(), date)
        self.assertTrue(sheet.cell(1, 1).font.bold)
        self.assertEqual(sheet.freeze_panes, "B2")
        self.assertEqual(formulas["Detail"].freeze_panes, "D2")
        self.assertEqual(sheet.auto_filter.ref, f"A1:{get_column_letter(len(headers))}{last - 1}")

    def test_utilization_chart(self):
        formulas, _values, archive = self._export(self.manager, by_partner=True)
        months = self._rows(formulas["Over Time"])

        # A native line chart of utilization over time, on the Over Time sheet's rows.
        names = archive.namelist()
        self.assertIn("xl/charts/chart1.xml", names)
        self.assertNotIn("xl/charts/chart2.xml", names)
        chart = archive.read("xl/charts/chart1.xml").decode()
        self.assertIn("<c:lineChart>", chart)
        rows = len(months) + 1
        over_time_headers = self._headers(formulas["Over Time"])
        letter = get_column_letter(over_time_headers.index("Utilization") + 1)
        self.assertIn(f"<c:f>'Over Time'!$A$2:$A${rows}</c:f>", chart)
        self.assertIn(f"<c:f>'Over Time'!${letter}$2:${letter}${rows}</c:f>", chart)
        drawing_rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
        self.assertIn("drawing", drawing_rels)
        # Constant-memory mode writes strings inline, rows as they come: no shared strings table.
        self.assertNotIn("xl/sharedStrings.xml", names)

    def test_money_columns_only_for_managers(self):
        """A dispatcher reads the report's hours, not its cost, revenue or margin."""
        formulas, values, _archive = self._export(self.dispatcher, by_detail=True)
        self._assert_no_money(formulas)
        expected = self._expected(self.dispatcher, "employee_id", MEASURES)
        self.assertEqual(set(self._rows(values["By Employee"])), set(expected))
        for label, figures in self._rows(values["By Employee"]).items():
            for measure, got, want in zip(MEASURES, figures, expected[label], strict=False):
                self.assertAlmostEqual(got, want, places=6, msg=f"{label}: {measure}")

    def test_technician_exports_own_hours(self):
        """A technician's export holds their own rows, and no money."""
        formulas, values, _archive = self._export(self.technician, by_detail=True)
        self._assert_no_money(formulas)
        employees = self._rows(values["By Employee"])
        self.assertEqual(set(employees), {self.tech_employee.name})
        expected = self._expected(self.technician, "employee_id", MEASURES)
        self.assertAlmostEqual(employees[self.tech_employee.name][2], expected[self.tech_employee.name][2])
        self.assertAlmostEqual(employees[self.tech_employee.name][2], 3.25, msg="Ada's work on Monday")

    def _assert_no_money(self, workbook):
        for sheet in workbook:
            headers = self._headers(sheet)
            self.assertFalse(
                [h for h in headers if h and re.search(r"Cost|Revenue|Margin", h)],
                f"{sheet.title}: {headers}",
            )
            self.assertIn("Utilization", headers)

    def test_only_readers_of_the_report_export(self):
        outsider = new_test_user(self.env, "kpi_outsider", "base.group_user")
        with self.assertRaises(AccessError):
            self.env["service.kpi.export"].with_user(outsider).create(
                {"date_from": "2026-11-01", "date_to": "2026-12-31"}
            )

    def test_companies(self):
        """The export holds the companies the user works in, as the report does."""
        _formulas, values, _archive = self._export(self.manager, companies=self.company)
        self.assertNotIn(self.other_employee.name, self._rows(values["By Employee"]))
        _formulas, values, _archive = self._export(self.manager, companies=self.company | self.other_company)
        employees = self._rows(values["By Employee"])
        self.assertIn(self.other_employee.name, employees)
        both = self._expected(
            self.manager, "employee_id", MEASURES, companies=self.company | self.other_company
        )
        self.assertAlmostEqual(employees[self.other_employee.name][0], both[self.other_employee.name][0])

    def test_rows_stream_in_chunks(self):
        """Fetched a row at a time, the workbook is the same."""
        _formulas, whole, _archive = self._export(self.manager, by_detail=True)
        with patch.object(service_kpi_export, "FETCH_ROWS", 1):
            _formulas, chunked, _archive = self._export(self.manager, by_detail=True)
        for name in whole.sheetnames:
            self.assertEqual(
                list(whole[name].iter_rows(values_only=True)), list(chunked[name].iter_rows(values_only=True))
            )
        self.assertGreater(whole["Detail"].max_row, 3)

    def test_bad_requests(self):
        Export = self.env["service.kpi.export"].with_user(self.manager)
        with self.assertRaisesRegex(ValidationError, "2026-11-01.*2026-12-31"):
            Export.create({"date_from": "2026-12-31", "date_to": "2026-11-01"})
        wizard = Export.create(
            {"date_from": "2026-11-01", "date_to": "2026-12-31", "by_period": False, "by_employee": False}
        )
        with self.assertRaisesRegex(ValidationError, "at least one grouping"):
            wizard.action_export()

    def test_empty_period(self):
        """Nothing to report: the sheets keep their header and a totals row of zeros."""
        _formulas, values, archive = self._export(self.manager, date_from="2020-01-01", date_to="2020-01-31")
        sheet = values["By Employee"]
        self.assertEqual(sheet.max_row, 2)
        self.assertEqual(sheet.cell(2, 1).value, "Total")
        self.assertEqual(sheet.cell(2, 2).value, 0)
        self.assertNotIn("xl/charts/chart1.xml", archive.namelist())


@tagged("post_install", "-at_install")
class TestKpiExportDownload(HttpCase):
    def test_download(self):
        """The file streamed by the download route opens; another user's export is refused."""
        env = self.env
        manager = new_test_user(env, "kpi_dl_manager", "service_order.group_service_manager")
        dispatcher = new_test_user(env, "kpi_dl_dispatcher", "service_order.group_service_dispatcher")
        employee = env["hr.employee"].create({"name": "Dora Download"})
        env["service.kpi.capacity"]._refresh(employee, date(2026, 11, 2), date(2026, 11, 6))
        wizard = (
            env["service.kpi.export"]
            .with_user(manager)
            .create({"date_from": "2026-11-01", "date_to": "2026-11-30", "by_detail": True})
        )
        self.authenticate(manager.login, manager.login)
        response = self.url_open(wizard.action_export()["url"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment; filename", response.headers["Content-Disposition"])
        self.assertEqual(int(response.headers["Content-Length"]), len(response.content))
        book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
        self.assertEqual(book.sheetnames, ["Over Time", "By Employee", "Detail"])
        self.assertIn("Dora Download", [row[0] for row in book["By Employee"].iter_rows(values_only=True)])

        self.authenticate(dispatcher.login, dispatcher.login)
        with mute_logger("odoo.http"):
            response = self.url_open(f"/service_order_kpi/export/{wizard.id}")
        self.assertEqual(response.status_code, 403)

    def _download(self, wizard):
        response = self.url_open(f"/service_order_kpi/export/{wizard.id}")
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(response.content), data_only=True)
        return [row[0] for row in book["By Employee"].iter_rows(values_only=True)]

    def test_download_keeps_the_companies_chosen(self):
        """The file holds the companies selected when the export was asked for, as the report on
        screen does, not every company the user may open (a download carries no company
        selection of its own); and nobody asks for a company that is not theirs."""
        env = self.env
        main, other = env.company, env["res.company"].create({"name": "Other KPI Company"})
        manager = new_test_user(
            env,
            "kpi_two_companies",
            "service_order.group_service_manager",
            company_id=main.id,
            company_ids=[(6, 0, (main | other).ids)],
        )
        here = env["hr.employee"].create({"name": "Hana Here", "company_id": main.id})
        there = env["hr.employee"].create({"name": "Theo There", "company_id": other.id})
        env["service.kpi.capacity"]._refresh(here | there, date(2026, 11, 2), date(2026, 11, 6))
        Export = env["service.kpi.export"].with_user(manager)
        values = {"date_from": "2026-11-01", "date_to": "2026-11-30"}
        only_main = Export.with_context(allowed_company_ids=main.ids).create(values)
        both = Export.with_context(allowed_company_ids=(main | other).ids).create(values)
        self.authenticate(manager.login, manager.login)
        employees = self._download(only_main)
        self.assertIn("Hana Here", employees)
        self.assertNotIn("Theo There", employees)
        self.assertIn("Theo There", self._download(both))

        foreign = env["res.company"].create({"name": "Not Theirs Ltd"})
        # Odoo itself refuses to link records the user cannot read.
        with self.assertRaises(AccessError):
            Export.create({**values, "company_ids": [(6, 0, (main | foreign).ids)]})
        with self.assertRaisesRegex(ValidationError, r"cannot export the KPIs of Not Theirs Ltd\.$"):
            Export.create({**values, "company_id": foreign.id})

    def test_export_dialog_tour(self):
        """A dispatcher opens Export KPIs from the Reporting menu, adds a sheet and exports."""
        dispatcher = new_test_user(
            self.env, "kpi_tour_dispatcher", "service_order.group_service_dispatcher", tz="UTC"
        )
        self.start_tour(
            "/odoo/action-service_order_kpi.service_kpi_report_action",
            "service_kpi_export_tour",
            login=dispatcher.login,
        )
        exports = self.env["service.kpi.export"].search([("create_uid", "=", dispatcher.id)])
        self.assertEqual(len(exports), 1)
        self.assertTrue(exports.by_partner)
