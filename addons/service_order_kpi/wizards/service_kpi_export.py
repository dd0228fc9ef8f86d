import os
import re
from datetime import date, datetime

import xlsxwriter
from dateutil.relativedelta import relativedelta
from xlsxwriter.utility import xl_range, xl_rowcol_to_cell

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Rows fetched from the server-side cursor at a time: what the export holds in Python at once.
FETCH_ROWS = 2000
PERIODS = [
    ("day", "Day"),
    ("week", "Week"),
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year"),
]
# Excel formats of a period's first day, per granularity.
PERIOD_FORMATS = {
    "day": "yyyy-mm-dd",
    "week": "yyyy-mm-dd",
    "month": "mmm yyyy",
    "quarter": "mmm yyyy",
    "year": "yyyy",
}
MAX_SHEET_NAME = 31


class ServiceKpiExport(models.TransientModel):
    """The KPI report as a formatted Excel workbook: a sheet per grouping chosen, each with the
    measures, the ratios derived from them and a totals row, and a chart of utilization over
    time. Written in xlsxwriter's constant-memory mode from a server-side cursor, so that its
    memory does not grow with the number of rows."""

    _name = "service.kpi.export"
    _description = "KPI Export"

    date_from = fields.Date(string="From", required=True, default=lambda self: self._default_date_from())
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    period = fields.Selection(
        PERIODS, required=True, default="month", help="The rows of the Over Time sheet."
    )
    by_period = fields.Boolean(
        string="Over Time", default=True, help="A row per period, with a chart of utilization."
    )
    by_employee = fields.Boolean(default=True)
    by_partner = fields.Boolean(string="By Customer")
    by_service_order = fields.Boolean()
    by_detail = fields.Boolean(
        string="Detail", help="A row per employee, day and service order: the report's own rows."
    )
    # The companies selected when the export was asked for: its download, a plain link, carries
    # no selection of its own and would otherwise get every company of the user.
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    company_ids = fields.Many2many(
        "res.company", string="Companies", readonly=True, default=lambda self: self.env.companies
    )

    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=11)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for export in self:
            if export.date_from > export.date_to:
                raise ValidationError(
                    self.env._(
                        "The export period ends (%(date_to)s) before it starts (%(date_from)s).",
                        date_from=export.date_from,
                        date_to=export.date_to,
                    )
                )

    @api.constrains("company_id", "company_ids")
    def _check_companies(self):
        for export in self:
            foreign = (export.company_id | export.company_ids) - export.create_uid.company_ids
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot export the KPIs of %(companies)s.",
                        user=export.create_uid.name,
                        companies=", ".join(foreign.mapped("display_name")),
                    )
                )

    def _with_export_companies(self):
        """This export in the companies it was asked for, its main company first."""
        self.ensure_one()
        companies = self.company_id | self.company_ids
        return self.with_context(allowed_company_ids=companies.ids).with_company(self.company_id)

    # ------------------------------------------------------------------ what goes in
    def _get_groupings(self):
        """``{boolean field: (sheet name, read_group groupby specs)}``, in the order of the
        sheets. A sub-module adds a grouping with a boolean field and an entry here."""
        return {
            "by_period": (self.env._("Over Time"), [f"date:{self.period or 'month'}"]),
            "by_employee": (self.env._("By Employee"), ["employee_id"]),
            "by_partner": (self.env._("By Customer"), ["partner_id"]),
            "by_service_order": (self.env._("By Service Order"), ["service_order_id"]),
            "by_detail": (self.env._("Detail"), ["date:day", "employee_id", "service_order_id"]),
        }

    @api.model
    def _get_measures(self):
        """``[(report field, kind)]`` summed on every sheet, kind ``hours`` or ``money``."""
        return [
            ("capacity_hours", "hours"),
            ("planned_hours", "hours"),
            ("worked_hours", "hours"),
            ("travel_hours", "hours"),
            ("billable_hours", "hours"),
            ("sold_hours", "hours"),
            ("cost", "money"),
            ("revenue", "money"),
            ("margin", "money"),
        ]

    @api.model
    def _get_ratios(self):
        """``[(key, label, numerator, denominators)]``: columns computed by Excel from the
        measures of their row (``numerator / sum(denominators)``), shown as a percentage when
        the key ends in ``_percent``. Ratios over a measure the user may not read are left out."""
        return [
            ("utilization_percent", self.env._("Utilization"), "worked_hours", ["capacity_hours"]),
            (
                "billable_utilization_percent",
                self.env._("Billable Utilization"),
                "billable_hours",
                ["capacity_hours"],
            ),
            ("revenue_per_hour", self.env._("Revenue / Hour"), "revenue", ["worked_hours"]),
            ("cost_per_hour", self.env._("Cost / Hour"), "cost", ["worked_hours", "travel_hours"]),
            ("margin_percent", self.env._("Margin %"), "margin", ["revenue"]),
        ]

    def _readable_measures(self):
        """The measures of the report this user may read: technicians get no money columns."""
        Report = self.env["service.kpi.report"]
        return [
            (name, kind)
            for name, kind in self._get_measures()
            if name in Report._fields and Report._has_field_access(Report._fields[name], "read")
        ]

    def _report_domain(self):
        self.ensure_one()
        return [("date", ">=", self.date_from), ("date", "<=", self.date_to)]

    # ------------------------------------------------------------------ action
    def action_export(self):
        """Download the workbook: the controller writes it to a temporary file and streams it."""
        self.ensure_one()
        self._export_sheets()
        return {
            "type": "ir.actions.act_url",
            "url": f"/service_order_kpi/export/{self.id}",
            "target": "download",
        }

    def _export_sheets(self):
        """``[(sheet name, groupby)]`` of the groupings chosen, once the user may export them."""
        self.ensure_one()
        self.env["service.kpi.report"].check_access("read")
        sheets = [(name, groupby) for key, (name, groupby) in self._get_groupings().items() if self[key]]
        if not sheets:
            raise ValidationError(self.env._("Choose at least one grouping to export."))
        return sheets

    def _export_filename(self):
        self.ensure_one()
        return self.env._(
            "KPIs %(date_from)s - %(date_to)s.xlsx", date_from=self.date_from, date_to=self.date_to
        )

    # ------------------------------------------------------------------ the workbook
    def _write_workbook(self, folder):
        """Write the workbook into ``folder`` (xlsxwriter keeps its row files there too) and
        return its path."""
        export = self._with_export_companies()
        sheets = export._export_sheets()
        path = os.path.join(folder, "kpi.xlsx")
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "in_memory": False, "tmpdir": folder})
        try:
            formats = export._workbook_formats(workbook)
            used = set()
            for name, groupby in sheets:
                export._write_sheet(workbook, formats, export._sheet_name(name, used), groupby)
        finally:
            workbook.close()
        return path

    def _workbook_formats(self, workbook):
        currency = self.env.company.currency_id
        money = "#,##0.{}".format("0" * currency.decimal_places) if currency.decimal_places else "#,##0"
        formats = {
            "header": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}),
            "text": workbook.add_format({}),
            "hours": workbook.add_format({"num_format": "#,##0.00"}),
            "money": workbook.add_format({"num_format": money}),
            "percent": workbook.add_format({"num_format": "0.0%"}),
            "ratio": workbook.add_format({"num_format": money}),
            "total_label": workbook.add_format({"bold": True, "top": 1}),
            "total_hours": workbook.add_format({"bold": True, "top": 1, "num_format": "#,##0.00"}),
            "total_money": workbook.add_format({"bold": True, "top": 1, "num_format": money}),
            "total_percent": workbook.add_format({"bold": True, "top": 1, "num_format": "0.0%"}),
            "total_ratio": workbook.add_format({"bold": True, "top": 1, "num_format": money}),
        }
        for granularity, num_format in PERIOD_FORMATS.items():
            formats[f"date:{granularity}"] = workbook.add_format({"num_format": num_format, "align": "left"})
        return formats

    @api.model
    def _sheet_name(self, name, used):
        """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
        base = re.sub(r"[\[\]:*?/\\]", " ", name)[:MAX_SHEET_NAME].strip() or "Sheet"
        candidate, index = base, 2
        while candidate.lower() in used:
            suffix = f" ({index})"
            candidate, index = base[: MAX_SHEET_NAME - len(suffix)] + suffix, index + 1
        used.add(candidate.lower())
        return candidate

    def _columns(self, groupby):
        """The sheet's columns: ``[(key, header, kind)]``, the groupings first."""
        Report = self.env["service.kpi.report"]
        currency = self.env.company.currency_id.name
        columns = []
        for spec in groupby:
            fname, _dot, granularity = spec.partition(":")
            header = Report._fields[fname].get_description(self.env)["string"]
            columns.append((spec, header, f"date:{granularity}" if granularity else "text"))
        measures = self._readable_measures()
        for fname, kind in measures:
            header = Report._fields[fname].get_description(self.env)["string"]
            columns.append((fname, f"{header} ({currency})" if kind == "money" else header, kind))
        readable = {fname for fname, _kind in measures}
        for key, label, numerator, denominators in self._get_ratios():
            if {numerator, *denominators} <= readable:
                kind = "percent" if key.endswith("_percent") else "ratio"
                columns.append((key, label, kind))
        return columns

    def _write_sheet(self, workbook, formats, name, groupby):
        sheet = KpiSheet(workbook.add_worksheet(name), formats, self._columns(groupby), len(groupby))
        sheet.ratios = {key: (top, bottom) for key, _label, top, bottom in self._get_ratios()}
        for labels, values in self._sheet_rows(groupby, sheet.measures):
            sheet.write_row(labels, values)
        sheet.write_totals(self.env._("Total"))
        over_time = len(groupby) == 1 and groupby[0].startswith("date:")
        if over_time and sheet.rows and "utilization_percent" in sheet.index:
            self._insert_utilization_chart(workbook, sheet, name)

    def _insert_utilization_chart(self, workbook, sheet, name):
        column = sheet.index["utilization_percent"]
        chart = workbook.add_chart({"type": "line"})
        chart.add_series(
            {
                "name": self.env._("Utilization"),
                "categories": [name, 1, 0, sheet.rows, 0],
                "values": [name, 1, column, sheet.rows, column],
                "marker": {"type": "circle"},
            }
        )
        chart.set_title({"name": self.env._("Utilization over time")})
        chart.set_y_axis({"num_format": "0%", "min": 0})
        chart.set_legend({"none": True})
        sheet.worksheet.insert_chart(1, len(sheet.columns) + 1, chart, {"x_scale": 1.5, "y_scale": 1.2})

    # ------------------------------------------------------------------ the rows
    def _sheet_query(self, groupby, measures):
        """The SQL of the report grouped as the sheet asks, built the way `_read_group` builds
        it: on `_search`, so the user's access rules and companies apply, and through the same
        groupby and aggregate terms, which check the user's access to each field."""
        Report = self.env["service.kpi.report"]
        query = Report._search(self._report_domain())
        if query.is_empty():
            return None
        terms = {spec: Report._read_group_groupby(Report._table, spec, query) for spec in groupby}
        select = [*terms.values(), *(Report._read_group_select(f"{fname}:sum", query) for fname in measures)]
        # Ordered by the groups' names, as the pivot shows them; this may add the name columns
        # to the GROUP BY terms, hence after the select list.
        query.order = Report._read_group_orderby(",".join(groupby), terms, query)
        query.groupby = SQL(", ").join(terms.values())
        return query.select(*select)

    def _sheet_rows(self, groupby, measures):
        """Yield ``(labels, sums)`` per group, read from a server-side cursor ``FETCH_ROWS`` at a
        time: a hundred thousand groups never sit in Python at once."""
        sql = self._sheet_query(groupby, measures)
        if sql is None:
            return
        cursor = SQL.identifier(f"service_kpi_export_{self.id}")
        cr = self.env.cr
        cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", cursor, sql))
        try:
            while rows := self._fetch(cursor):
                labels = self._group_labels(groupby, [row[: len(groupby)] for row in rows])
                for label, row in zip(labels, rows, strict=True):
                    yield label, [value or 0.0 for value in row[len(groupby) :]]
        finally:
            cr.execute(SQL("CLOSE %s", cursor))

    def _fetch(self, cursor):
        self.env.cr.execute(SQL("FETCH FORWARD %s FROM %s", FETCH_ROWS, cursor))
        return self.env.cr.fetchall()

    def _group_labels(self, groupby, keys):
        """The labels of a chunk of group keys: the names of the records (one read per field
        and chunk, under sudo as the pivot reads its group labels), the periods' first days."""
        Report = self.env["service.kpi.report"]
        names = {}
        for position, spec in enumerate(groupby):
            field = Report._fields[spec.partition(":")[0]]
            if field.type == "many2one":
                ids = {key[position] for key in keys if key[position]}
                records = self.env[field.comodel_name].browse(ids).sudo()
                names[position] = {record.id: record.display_name for record in records}
        # The names read for this chunk leave the cache: it must not grow with the export.
        self.env.invalidate_all()
        none = self.env._("None")
        labels = []
        for key in keys:
            label = []
            for position, value in enumerate(key):
                if position in names:
                    label.append(names[position].get(value, none) if value else none)
                elif isinstance(value, datetime):
                    label.append(value.date())
                elif isinstance(value, date):
                    label.append(value)
                else:
                    label.append(str(value) if value not in (None, False) else none)
            labels.append(label)
        return labels


class KpiSheet:
    """One worksheet written row after row (constant-memory mode cannot go back): the header,
    the groups, then a totals row; ratios are Excel formulas over their row's measures."""

    def __init__(self, worksheet, formats, columns, group_count):
        self.worksheet = worksheet
        self.formats = formats
        self.columns = columns
        self.group_count = group_count
        self.index = {key: col for col, (key, _header, _kind) in enumerate(columns)}
        self.measures = [key for key, _header, kind in columns if kind in ("hours", "money")]
        self.ratios = {}
        self.totals = dict.fromkeys(self.measures, 0.0)
        self.rows = 0
        for col, (_key, header, kind) in enumerate(columns):
            worksheet.set_column(col, col, 30 if kind == "text" else 14)
            worksheet.write_string(0, col, header, formats["header"])
        worksheet.set_row(0, 30)

    def write_row(self, labels, values):
        self.rows += 1
        row, sheet = self.rows, self.worksheet
        for col, label in enumerate(labels):
            if isinstance(label, date):
                moment = datetime.combine(label, datetime.min.time())
                sheet.write_datetime(row, col, moment, self.formats[self.columns[col][2]])
            else:
                sheet.write_string(row, col, label, self.formats["text"])
        figures = dict(zip(self.measures, values, strict=True))
        for key, value in figures.items():
            self.totals[key] += value
            sheet.write_number(row, self.index[key], value, self.formats[self.columns[self.index[key]][2]])
        self._write_ratios(row, figures, "")

    def write_totals(self, label):
        """The totals row, then the frozen header and group columns and the autofilter."""
        row, sheet = self.rows + 1, self.worksheet
        sheet.write_string(row, 0, label, self.formats["total_label"])
        for col in range(1, self.group_count):
            sheet.write_blank(row, col, None, self.formats["total_label"])
        for key in self.measures:
            col = self.index[key]
            total_format = self.formats[f"total_{self.columns[col][2]}"]
            if self.rows:
                # SUBTOTAL(109): the sum of the rows the autofilter shows.
                cells = xl_range(1, col, self.rows, col)
                sheet.write_formula(row, col, f"=SUBTOTAL(109,{cells})", total_format, self.totals[key])
            else:
                sheet.write_number(row, col, 0.0, total_format)
        self._write_ratios(row, self.totals, "total_")
        sheet.freeze_panes(1, self.group_count)
        sheet.autofilter(0, 0, self.rows, len(self.columns) - 1)

    def _write_ratios(self, row, figures, prefix):
        for key, _header, kind in self.columns:
            if key not in self.ratios:
                continue
            numerator, denominators = self.ratios[key]
            divisor = sum(figures[name] for name in denominators)
            top = xl_rowcol_to_cell(row, self.index[numerator])
            bottom = "+".join(xl_rowcol_to_cell(row, self.index[name]) for name in denominators)
            self.worksheet.write_formula(
                row,
                self.index[key],
                f"=IF(({bottom})=0,0,{top}/({bottom}))",
                self.formats[f"{prefix}{kind}"],
                figures[numerator] / divisor if divisor else 0.0,
            )
