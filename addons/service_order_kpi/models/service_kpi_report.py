from itertools import pairwise

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.orm.models import parse_read_group_spec
from odoo.tools import SQL, format_date

# Ratios aggregated as the ratio of the sums of their parts, so that every pivot cell, total
# included, is right: {field: (numerator fields, denominator fields, factor)}.
RATIOS = {
    "utilization": (("worked_hours",), ("capacity_hours",), 100.0),
    "billable_utilization": (("billable_hours",), ("capacity_hours",), 100.0),
    "revenue_per_hour": (("revenue",), ("worked_hours",), 1.0),
    "cost_per_hour": (("cost",), ("worked_hours", "travel_hours"), 1.0),
    "margin_percent": (("margin",), ("revenue",), 100.0),
    "sla_met_percent": (("sla_met_orders",), ("sla_orders",), 100.0),
    "first_time_fix_percent": (("first_fix_orders",), ("done_orders",), 100.0),
}
MANAGER = "service_order.group_service_manager"


class ServiceKpiReport(models.Model):
    """Facts at the grain of employee, day (the employee's local day) and service order: each
    row is one fact (a day of capacity, an assignment, the time records of the day, or an order
    with neither) and the pivot, graph and list add up the rows of the same employee, day and
    order.

    - Capacity is on rows without an order (one per employee and working day, from the daily
      capacity table), so that it is counted once per employee and day whatever the orders.
    - Planned hours: the assignments not cancelled, on the day they start. Worked, travel and
      billable hours: the time records, on the day they start.
    - Order-level figures (sold hours, SLA and first-time fix counts) are shared between the
      order's rows in proportion to its worked hours (its planned hours before any work; an
      order with neither has a row without employee on its start day): each order adds up to
      one order, and to its sold hours, in any grouping.
    - Cost: worked and travel hours at the employee's hourly cost valid that day.
    - Revenue: invoiced time at the order's invoiced amount per invoiced hour (posted invoices
      minus credit notes, company currency); time not invoiced yet at the sold price per hour.
      An order invoiced with no time record on its invoices (sold hours billed upfront) spreads
      its invoiced amount over all its billable hours.
    - Money is in the currency of the company the user works in: a company keeping its books
      in another currency has its figures converted at today's rate, as the sales analysis
      does, so that a pivot over several companies adds like to like.

    Why facts rather than rows grouped per employee, day and order: every measure is linear in
    the facts' hours, with coefficients per order (``_order_figures``, computed once per order)
    and per employee and day (the hourly cost), so a pivot per employee and month aggregates
    the facts in one pass, without first grouping millions of time records per day and order.
    The local days are stored on the time records and assignments (``kpi_date``, indexed): a
    period filter reads only its rows.

    The query is assembled from small methods (``_fact_columns``, ``_fact_queries`` and the
    ``_fact_*`` sources, ``_order_figures``, ``_select``, ``_from``) for sub-modules to extend."""

    _name = "service.kpi.report"
    _description = "Service KPI Analysis"
    _auto = False
    _order = "date desc, employee_id"
    _rec_name = "date"

    date = fields.Date(readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    service_order_id = fields.Many2one("service.order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", string="Service Product", readonly=True)
    sla_policy_id = fields.Many2one("service.sla.policy", string="SLA Policy", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    # The money of every company, converted: see ``_company_rates``.
    currency_id = fields.Many2one("res.currency", readonly=True)

    capacity_hours = fields.Float(string="Capacity (h)", readonly=True)
    planned_hours = fields.Float(string="Planned (h)", readonly=True)
    worked_hours = fields.Float(string="Worked (h)", readonly=True)
    travel_hours = fields.Float(string="Travel (h)", readonly=True)
    billable_hours = fields.Float(string="Billable (h)", readonly=True)
    invoiced_hours = fields.Float(string="Invoiced (h)", readonly=True)
    sold_hours = fields.Float(string="Sold (h)", readonly=True)
    cost = fields.Monetary(readonly=True, groups=MANAGER)
    invoiced_revenue = fields.Monetary(readonly=True, groups=MANAGER)
    expected_revenue = fields.Monetary(
        string="Revenue Not Invoiced",
        readonly=True,
        groups=MANAGER,
        help="Time not invoiced yet at the sold price.",
    )
    revenue = fields.Monetary(
        readonly=True, groups=MANAGER, help="Invoiced revenue and revenue not invoiced yet."
    )
    margin = fields.Monetary(readonly=True, groups=MANAGER)
    sla_orders = fields.Float(string="Orders with SLA Decided", readonly=True, digits=(16, 2))
    sla_met_orders = fields.Float(string="Orders with SLA Met", readonly=True, digits=(16, 2))
    done_orders = fields.Float(readonly=True, digits=(16, 2))
    first_fix_orders = fields.Float(string="Fixed First Time", readonly=True, digits=(16, 2))

    utilization = fields.Float(string="Utilization (%)", readonly=True, aggregator="avg")
    billable_utilization = fields.Float(string="Billable Utilization (%)", readonly=True, aggregator="avg")
    revenue_per_hour = fields.Monetary(readonly=True, aggregator="avg", groups=MANAGER)
    cost_per_hour = fields.Monetary(readonly=True, aggregator="avg", groups=MANAGER)
    margin_percent = fields.Float(string="Margin (%)", readonly=True, aggregator="avg", groups=MANAGER)
    sla_met_percent = fields.Float(string="SLA Met (%)", readonly=True, aggregator="avg")
    first_time_fix_percent = fields.Float(string="First-time Fix (%)", readonly=True, aggregator="avg")

    # ------------------------------------------------------------------ the query
    @property
    def _table_query(self):
        return SQL("%s %s", self._select(), self._from())

    @api.model
    def _fact_columns(self):
        """The hour columns every fact source yields, with their value when a source has none."""
        return {
            "capacity_hours": SQL("0.0"),
            "planned_hours": SQL("0.0"),
            "worked_hours": SQL("0.0"),
            "travel_hours": SQL("0.0"),
            "billable_hours": SQL("0.0"),
            "invoiced_hours": SQL("0.0"),
            "order_rows": SQL("0.0"),
        }

    @api.model
    def _fact_queries(self):
        """The fact sources, as SQL queries yielding ``id`` (unique over all sources: the source
        record's id times 8 plus the source's number, 0 to 3 here, 4 to 7 free for sub-modules),
        ``employee_id``, ``date``, ``service_order_id``, ``company_id`` and the
        ``_fact_columns``."""
        return [self._fact_capacity(), self._fact_assignments(), self._fact_time(), self._fact_orders()]

    @api.model
    def _fact_query(self, key, keys, values, from_where):
        columns = self._fact_columns()
        return SQL(
            "SELECT %s AS id, %s, %s %s",
            key,
            SQL(", ").join(SQL("%s AS %s", keys[name], SQL.identifier(name)) for name in self._fact_keys()),
            SQL(", ").join(
                SQL("%s AS %s", values.get(name, default), SQL.identifier(name))
                for name, default in columns.items()
            ),
            from_where,
        )

    @api.model
    def _fact_keys(self):
        return ("employee_id", "date", "service_order_id", "company_id")

    @api.model
    def _fact_capacity(self):
        return self._fact_query(
            SQL("capacity.id::bigint * 8"),
            {
                "employee_id": SQL("capacity.employee_id"),
                "date": SQL("capacity.date"),
                "service_order_id": SQL("NULL::integer"),
                "company_id": SQL("capacity.company_id"),
            },
            {"capacity_hours": SQL("capacity.capacity_hours")},
            SQL("FROM service_kpi_capacity capacity"),
        )

    @api.model
    def _fact_assignments(self):
        return self._fact_query(
            SQL("assignment.id::bigint * 8 + 2"),
            {
                "employee_id": SQL("assignment.employee_id"),
                "date": SQL("assignment.kpi_date"),
                "service_order_id": SQL("assignment.service_order_id"),
                "company_id": SQL("assignment.company_id"),
            },
            {"planned_hours": SQL("assignment.planned_hours")},
            SQL("FROM service_assignment assignment WHERE assignment.state != 'cancelled'"),
        )

    @api.model
    def _fact_time(self):
        """The time records of each employee, local day and order, summed: a day's records of
        one job are a report row, so a million records make a tenth as many rows to group."""
        return self._fact_query(
            SQL("MIN(attendance.id)::bigint * 8 + 1"),
            {
                "employee_id": SQL("attendance.employee_id"),
                "date": SQL("attendance.kpi_date"),
                "service_order_id": SQL("attendance.service_order_id"),
                "company_id": SQL("attendance.company_id"),
            },
            {
                "worked_hours": SQL(
                    "SUM(CASE WHEN attendance.kind = 'work' THEN attendance.worked_hours ELSE 0.0 END)"
                ),
                "travel_hours": SQL(
                    "SUM(CASE WHEN attendance.kind = 'travel' THEN attendance.worked_hours ELSE 0.0 END)"
                ),
                "billable_hours": SQL("SUM(COALESCE(attendance.billable_hours, 0.0))"),
                "invoiced_hours": SQL(
                    """SUM(CASE WHEN attendance.is_invoiced THEN COALESCE(attendance.billable_hours, 0.0)
                                ELSE 0.0 END)"""
                ),
            },
            SQL(
                """FROM service_attendance attendance
               GROUP BY attendance.employee_id, attendance.kpi_date, attendance.service_order_id,
                        attendance.company_id"""
            ),
        )

    @api.model
    def _fact_orders(self):
        """A row without employee for the orders with neither planned nor worked hours: it
        carries their sold hours and their SLA and first-time fix counts."""
        return self._fact_query(
            SQL("service_order.id::bigint * 8 + 3"),
            {
                "employee_id": SQL("NULL::integer"),
                "date": SQL("COALESCE(service_order.date_start, service_order.create_date)::date"),
                "service_order_id": SQL("service_order.id"),
                "company_id": SQL("service_order.company_id"),
            },
            {"order_rows": SQL("1.0")},
            SQL(
                """FROM service_order
                  WHERE service_order.state != 'cancelled'
                    AND COALESCE(service_order.worked_hours, 0.0) = 0.0
                    AND COALESCE(service_order.planned_hours, 0.0) = 0.0"""
            ),
        )

    @api.model
    def _facts(self):
        return SQL(" UNION ALL ").join(self._fact_queries())

    @api.model
    def _select(self):
        return SQL(
            """SELECT f.id, f.date, f.employee_id, version.department_id, f.service_order_id,
                      o.partner_id, o.product_id, o.sla_policy_id, f.company_id,
                      %(currency)s AS currency_id,
                      f.capacity_hours, f.planned_hours, f.worked_hours, f.travel_hours,
                      f.billable_hours, f.invoiced_hours,
                      %(share)s * COALESCE(o.sold_hours, 0.0) AS sold_hours,
                      %(cost)s AS cost,
                      %(invoiced)s AS invoiced_revenue,
                      %(expected)s AS expected_revenue,
                      %(invoiced)s + %(expected)s AS revenue,
                      %(invoiced)s + %(expected)s - %(cost)s AS margin,
                      %(share)s * COALESCE(o.sla_decided, 0.0) AS sla_orders,
                      %(share)s * COALESCE(o.sla_met, 0.0) AS sla_met_orders,
                      %(share)s * COALESCE(o.done, 0.0) AS done_orders,
                      %(share)s * COALESCE(o.first_fix, 0.0) AS first_fix_orders,
                      f.worked_hours * 100.0 / NULLIF(f.capacity_hours, 0.0) AS utilization,
                      f.billable_hours * 100.0 / NULLIF(f.capacity_hours, 0.0) AS billable_utilization,
                      (%(invoiced)s + %(expected)s) / NULLIF(f.worked_hours, 0.0) AS revenue_per_hour,
                      %(cost)s / NULLIF(f.worked_hours + f.travel_hours, 0.0) AS cost_per_hour,
                      (%(invoiced)s + %(expected)s - %(cost)s) * 100.0
                          / NULLIF(%(invoiced)s + %(expected)s, 0.0) AS margin_percent,
                      CASE WHEN o.sla_decided > 0.0 THEN o.sla_met * 100.0 END AS sla_met_percent,
                      CASE WHEN o.done > 0.0 THEN o.first_fix * 100.0 END AS first_time_fix_percent""",
            share=SQL(
                """(f.worked_hours * COALESCE(o.worked_share, 0.0)
                    + f.planned_hours * COALESCE(o.planned_share, 0.0) + f.order_rows)"""
            ),
            currency=self.env.company.currency_id.id,
            cost=SQL(
                """((f.worked_hours + f.travel_hours) * COALESCE(hourly.hourly_cost, 0.0)::float
                    * company_rate.rate)"""
            ),
            invoiced=SQL(
                """((f.invoiced_hours * COALESCE(o.invoiced_rate, 0.0)
                    + f.billable_hours * COALESCE(o.upfront_rate, 0.0)) * company_rate.rate)"""
            ),
            expected=SQL(
                """((f.billable_hours - f.invoiced_hours) * COALESCE(o.expected_price, 0.0)
                    * company_rate.rate)"""
            ),
        )

    @api.model
    def _from(self):
        return SQL(
            """FROM (%(facts)s) f
               LEFT JOIN (%(orders)s) o ON o.id = f.service_order_id
               LEFT JOIN hr_employee employee ON employee.id = f.employee_id
               LEFT JOIN hr_version version ON version.id = employee.current_version_id
               LEFT JOIN service_kpi_hourly_cost hourly
                      ON hourly.employee_id = f.employee_id
                     AND (hourly.date_from IS NULL OR hourly.date_from <= f.date)
                     AND (hourly.date_to IS NULL OR hourly.date_to > f.date)
               %(rates)s""",
            facts=self._facts(),
            orders=self._order_figures(),
            rates=self._company_rates(),
        )

    @api.model
    def _company_rates(self):
        """The join giving ``company_rate.rate``: what a unit of the currency of the fact's
        company is worth in the current company's, at today's rate (the rates Odoo's
        ``res.currency._get_rates`` reads, in SQL: building the query costs no query).
        ``OFFSET 0`` computes the rates once per company: flattened into the join, they
        would be looked up again for every fact."""
        company = self.env.company
        return SQL(
            """JOIN (SELECT rate_company.id AS company_id,
                            %(target)s / %(source)s AS rate
                       FROM res_company rate_company
                     OFFSET 0) company_rate
                 ON company_rate.company_id = f.company_id""",
            target=self._currency_rate(SQL("%s", company.currency_id.id), company),
            source=self._currency_rate(SQL("rate_company.currency_id"), company),
        )

    @api.model
    def _currency_rate(self, currency, company):
        """SQL of the rate of ``currency`` (an SQL expression) today in ``company``, as
        ``res.currency._get_rates`` gives it: its last rate up to today, else its first one,
        else 1."""
        Rate = self.env["res.currency.rate"].sudo()
        companies = ("company_id", "in", (False, company.root_id.id))
        rates = []
        for domain, order in (
            ([("name", "<=", fields.Date.context_today(self)), companies], "company_id.id, name DESC"),
            ([companies], "company_id.id, name ASC"),
        ):
            query = Rate._search(domain, order=order, limit=1)
            query.add_where(SQL("%s = %s", Rate._field_to_sql(query.table, "currency_id"), currency))
            rates.append(query.select(Rate._field_to_sql(query.table, "rate")))
        return SQL("COALESCE((%s), (%s), 1.0)::float", *rates)

    @api.model
    def _order_figures(self):
        """One row per service order: its grouping fields and the coefficients that turn a
        fact's hours into its share of the order's figures, computed once per order rather
        than once per fact (see the class docstring).

        - ``worked_share`` / ``planned_share``: the share of the order per worked / planned
          hour (planned hours count only before any work); the row of an order with neither
          (``order_rows``) has all of it.
        - ``invoiced_rate``: invoiced amount per invoiced hour; ``upfront_rate``: invoiced
          amount per billable hour of an order invoiced with no time record on its invoices;
          ``expected_price``: the sold price of an hour not invoiced yet (nothing when the
          order was invoiced upfront).
        - ``sla_decided``, ``sla_met``, ``done``, ``first_fix``: 1 or 0. An SLA is decided once
          the order is resolved or one of its deadlines has passed unmet (as ``sla_status``
          says met or breached); it is met when both the response and the resolution came in
          time. A done order is fixed the first time when it took one visit (work recorded on
          one day at most) and was not followed up (see ``_followed_orders``).

        ``OFFSET 0`` keeps it a subquery, computed per order and hashed, instead of being
        flattened into the facts and its expressions computed once per fact."""
        now = SQL("(now() AT TIME ZONE 'UTC')")
        return SQL(
            """SELECT so.id, so.partner_id, so.product_id, so.sla_policy_id, so.sold_hours,
                      CASE WHEN so.state != 'cancelled' AND so.worked_hours > 0.0
                           THEN 1.0 / so.worked_hours ELSE 0.0 END AS worked_share,
                      CASE WHEN so.state != 'cancelled' AND NOT COALESCE(so.worked_hours, 0.0) > 0.0
                                AND so.planned_hours > 0.0
                           THEN 1.0 / so.planned_hours ELSE 0.0 END AS planned_share,
                      CASE WHEN so.kpi_invoiced_hours > 0.0
                           THEN so.kpi_invoiced_amount::float / so.kpi_invoiced_hours
                           ELSE 0.0 END AS invoiced_rate,
                      CASE WHEN NOT COALESCE(so.kpi_invoiced_hours, 0.0) > 0.0 AND so.billable_hours > 0.0
                           THEN COALESCE(so.kpi_invoiced_amount, 0.0)::float / so.billable_hours
                           ELSE 0.0 END AS upfront_rate,
                      CASE WHEN NOT COALESCE(so.kpi_invoiced_hours, 0.0) > 0.0
                                AND COALESCE(so.kpi_invoiced_amount, 0.0) != 0.0
                           THEN 0.0 ELSE COALESCE(so.kpi_hour_price, 0.0)::float END AS expected_price,
                      CASE WHEN so.sla_policy_id IS NOT NULL AND so.resolution_deadline IS NOT NULL
                                AND so.state != 'cancelled'
                                AND (so.date_resolved IS NOT NULL
                                     OR %(now)s > so.resolution_deadline
                                     OR COALESCE(so.date_response, %(now)s) > so.response_deadline)
                           THEN 1.0 ELSE 0.0 END AS sla_decided,
                      CASE WHEN so.sla_policy_id IS NOT NULL AND so.state != 'cancelled'
                                AND so.date_resolved <= so.resolution_deadline
                                AND so.date_response <= so.response_deadline
                           THEN 1.0 ELSE 0.0 END AS sla_met,
                      CASE WHEN so.state = 'done' THEN 1.0 ELSE 0.0 END AS done,
                      CASE WHEN so.state = 'done' AND so.service_visit_count <= 1 AND followed.id IS NULL
                           THEN 1.0 ELSE 0.0 END AS first_fix
                 FROM service_order so
                 LEFT JOIN (%(followed)s) followed ON followed.id = so.id
               OFFSET 0""",
            now=now,
            followed=self._followed_orders(),
        )

    @api.model
    def _followed_orders(self):
        """Done orders with a follow-up order for the same site (the customer's address when
        the order has no site) opened within the company's first-time fix window after they
        were resolved."""
        return SQL(
            """SELECT DISTINCT origin.id
                 FROM service_order follow_up
                 JOIN service_order origin
                   ON COALESCE(origin.site_id, origin.partner_id)
                      = COALESCE(follow_up.site_id, follow_up.partner_id)
                  AND origin.company_id = follow_up.company_id
                  AND origin.id != follow_up.id
                  AND origin.state = 'done'
                 JOIN res_company origin_company ON origin_company.id = origin.company_id
                WHERE follow_up.origin_order_id IS NOT NULL
                  AND follow_up.create_date >= COALESCE(origin.date_resolved, origin.write_date)
                  AND follow_up.create_date < COALESCE(origin.date_resolved, origin.write_date)
                      + make_interval(days => COALESCE(origin_company.service_follow_up_days, 0))"""
        )

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Capacity changed in this transaction is refreshed before it is read.
        self.env["service.kpi.capacity"]._refresh_pending()
        return super()._search(domain, *args, **kwargs)

    # ------------------------------------------------------------------ ratios in groups
    @api.model
    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if fname in RATIOS and func in ("sum", "avg"):
            numerators, denominators, factor = RATIOS[fname]
            # Through super() for each part: it checks that the user may read it.
            select = super()._read_group_select
            numerator = SQL(" + ").join(select(f"{name}:sum", query) for name in numerators)
            denominator = SQL(" + ").join(select(f"{name}:sum", query) for name in denominators)
            return SQL("(%s) * %s / NULLIF(%s, 0.0)", numerator, factor, denominator)
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------ the overview screen
    @api.model
    def _overview_figures(self):
        """``(field, unit, higher is better)`` of the overview's headline figures, in the order
        they are shown: a rise is shown as good news or as bad news."""
        return [
            ("utilization", "%", True),
            ("revenue_per_hour", "currency", True),
            ("cost_per_hour", "currency", False),
            ("margin", "currency", True),
            ("sla_met_percent", "%", True),
            ("first_time_fix_percent", "%", True),
        ]

    @api.readonly
    @api.model
    def get_overview_data(self, months=6):
        """This month against last month, and the trend of the last ``months`` months, of the
        headline figures the user may read (technicians see no money): one grouped read.

        :returns: ``{"months": [{"label", "date_from", "date_to"}], "figures": [{"name",
            "label", "unit", "higher_is_better", "values"}], "currency": {"symbol", "position"},
            "refreshed_at"}``
            where ``values`` follow ``months``, oldest first (the last two are last month and
            this month), False for a month without a figure (as Odoo's reads say "no value":
            None cannot be sent over XML-RPC)."""
        if not isinstance(months, int) or isinstance(months, bool) or not 2 <= months <= 24:
            # repr(): a list would be formatted as its items, "6" for [6].
            raise ValidationError(
                self.env._("The overview shows 2 to 24 months, not %(months)s.", months=repr(months))
            )
        today = fields.Date.context_today(self)
        first = today.replace(day=1) - relativedelta(months=months - 1)
        bounds = [first + relativedelta(months=n) for n in range(months + 1)]
        figures = [
            figure
            for figure in self._overview_figures()
            if self._has_field_access(self._fields[figure[0]], "read")
        ]
        groups = self._read_group(
            [("date", ">=", bounds[0]), ("date", "<", bounds[-1])],
            ["date:month"],
            [f"{name}:sum" for name, _unit, _better in figures],
        )
        by_month = {month: values for month, *values in groups}
        company = self.env.company
        return {
            "months": [
                {
                    "label": format_date(self.env, start, date_format="MMM yyyy"),
                    "date_from": fields.Date.to_string(start),
                    "date_to": fields.Date.to_string(end),
                }
                for start, end in pairwise(bounds)
            ],
            "figures": [
                {
                    "name": name,
                    "label": self._fields[name].get_description(self.env)["string"],
                    "unit": unit,
                    "higher_is_better": better,
                    "values": [
                        by_month[start][index] if start in by_month else False for start in bounds[:-1]
                    ],
                }
                for index, (name, unit, better) in enumerate(figures)
            ],
            "currency": {"symbol": company.currency_id.symbol, "position": company.currency_id.position},
            "refreshed_at": fields.Datetime.to_string(
                self.env["service.kpi.capacity"]._last_refresh(
                    [("date", ">=", bounds[0]), ("date", "<", bounds[-1])]
                )
            ),
        }
