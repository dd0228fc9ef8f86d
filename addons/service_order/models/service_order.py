from collections import defaultdict
from urllib.parse import quote_plus

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_datetime

from ..tools import dates

# What only dispatchers may change; technicians update notes, tags and priority of their orders.
_DISPATCHER_FIELDS = frozenset(
    {
        "partner_id",
        "site_id",
        "company_id",
        "user_id",
        "sold_hours",
        "sla_policy_id",
        "date_start",
        "date_end",
        "scope",
    }
)
# Computed together by _compute_sla_deadlines, in this order.
_SLA_DATES = ("response_deadline", "resolution_deadline", "response_risk_date", "resolution_risk_date")
# The fields that a create may carry with their default value: the form and integrations send them.
_BLANK_DEFAULTS = {"name": "New", "state": "draft"}
_DATE_FIELDS = ("date_start", "date_end")


class ServiceOrder(models.Model):
    _name = "service.order"
    _description = "Service Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, index="trigram", default="New"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True
    )
    site_id = fields.Many2one(
        "res.partner",
        string="Service Site",
        compute="_compute_site_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
        help="The address where the work is done. Defaults to the customer's delivery address.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent")], default="0", index=True, tracking=True
    )
    tag_ids = fields.Many2many("service.order.tag", string="Tags")
    color = fields.Integer()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("scheduled", "Scheduled"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
    )
    scope = fields.Html(help="What the customer ordered: the work to do.")
    notes = fields.Html(help="Internal notes for the people doing the work.")
    date_start = fields.Datetime(
        string="Start",
        required=True,
        default=fields.Datetime.now,
        index=True,
        tracking=True,
        help="When the SLA clock starts: the moment the request was received.",
    )
    date_end = fields.Datetime(string="Planned End", tracking=True)

    is_dispatcher = fields.Boolean(compute="_compute_is_dispatcher")
    # For the technician on the road (My Work): directions to the site and a number to call.
    site_maps_url = fields.Char(string="Directions", compute="_compute_contact_links")
    contact_phone = fields.Char(compute="_compute_contact_links")

    # Hours. Planned and worked hours are fed by the planning and time clock modules.
    sold_hours = fields.Float(tracking=True, help="Hours the customer bought.")
    planned_hours = fields.Float(readonly=True, copy=False, help="Hours planned in assignments.")
    worked_hours = fields.Float(readonly=True, copy=False, help="Hours recorded on site.")
    remaining_hours = fields.Float(
        compute="_compute_remaining_hours", store=True, help="Sold hours not worked yet."
    )
    progress = fields.Float(compute="_compute_remaining_hours", store=True, aggregator="avg")

    # SLA
    sla_policy_id = fields.Many2one(
        "service.sla.policy", string="SLA Policy", tracking=True, check_company=True, index=True
    )
    response_deadline = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    resolution_deadline = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    response_risk_date = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    resolution_risk_date = fields.Datetime(compute="_compute_sla_deadlines", store=True)
    date_response = fields.Datetime(
        string="Responded On",
        readonly=True,
        copy=False,
        tracking=True,
        help="Set when the order is first scheduled or started.",
    )
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False, tracking=True)
    # Stored so that searching for breached orders needs no comparison between two columns.
    sla_response_late = fields.Boolean(compute="_compute_sla_late", store=True)
    sla_resolution_late = fields.Boolean(compute="_compute_sla_late", store=True)
    sla_alerted_status = fields.Selection(
        [("at_risk", "At Risk"), ("breached", "Breached")],
        string="SLA Alert Sent",
        copy=False,
        help="The last SLA status the responsible was alerted about: one alert per order and status.",
    )
    sla_status = fields.Selection(
        [("on_track", "On Track"), ("at_risk", "At Risk"), ("breached", "Breached"), ("met", "Met")],
        string="SLA Status",
        compute="_compute_sla_status",
        search="_search_sla_status",
    )

    _sold_hours_positive = models.Constraint(
        "CHECK(sold_hours >= 0)", "The sold hours of a service order cannot be negative."
    )
    _dates_ordered = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        "The planned end of a service order cannot be before its start.",
    )
    _dates_in_range = models.Constraint(
        f"CHECK({dates.sql_bounds('date_start')} AND (date_end IS NULL OR {dates.sql_bounds('date_end')}))",
        "The dates of a service order must be between 1900 and 2199.",
    )
    _name_company_unique = models.Constraint(
        "UNIQUE(name, company_id)", "A service order with this reference already exists in this company."
    )

    @api.model
    def _group_expand_states(self, states, domain):
        return ["draft", "scheduled", "in_progress", "done"]

    @api.depends("partner_id")
    def _compute_site_id(self):
        for order in self:
            if order.partner_id and (
                not order.site_id
                or order.site_id.commercial_partner_id != order.partner_id.commercial_partner_id
            ):
                order.site_id = order.partner_id.address_get(["delivery"])["delivery"]
            elif not order.partner_id:
                order.site_id = False

    @api.depends("site_id.street", "site_id.zip", "site_id.city", "site_id.phone", "partner_id.phone")
    def _compute_contact_links(self):
        for order in self:
            site = order.site_id
            address = ", ".join(part for part in (site.street, site.zip, site.city) if part)
            order.site_maps_url = (
                f"https://www.google.com/maps/search/?api=1&query={quote_plus(address)}" if address else False
            )
            order.contact_phone = site.phone or order.partner_id.phone or False

    @api.depends("sold_hours", "worked_hours")
    def _compute_remaining_hours(self):
        for order in self:
            order.remaining_hours = order.sold_hours - order.worked_hours
            order.progress = 100.0 * order.worked_hours / order.sold_hours if order.sold_hours else 0.0

    @api.depends(
        "date_start",
        "company_id",
        "sla_policy_id.response_hours",
        "sla_policy_id.resolution_hours",
        "sla_policy_id.at_risk_percent",
        "sla_policy_id.resource_calendar_id",
    )
    def _compute_sla_deadlines(self):
        """Deadlines in working hours of each policy's calendar, minus the public holidays of the
        order's company. An order is at risk once the policy's share of that working time has
        passed, not of the wall-clock time: nights and weekends do not bring it closer. One
        calendar computation for all orders that share a calendar and a company."""
        by_calendar = defaultdict(self.browse)
        for order in self:
            if order.sla_policy_id and order.date_start:
                by_calendar[order.sla_policy_id.resource_calendar_id, order.company_id] |= order
            else:
                order.update(dict.fromkeys(_SLA_DATES, False))
        for (calendar, company), orders in by_calendar.items():
            requests = []
            for order in orders:
                policy = order.sla_policy_id
                share = policy.at_risk_percent / 100.0
                requests += [
                    (order.date_start, policy.response_hours),
                    (order.date_start, policy.resolution_hours),
                    (order.date_start, policy.response_hours * share),
                    (order.date_start, policy.resolution_hours * share),
                ]
            ends = calendar._service_add_working_hours(requests, company=company)
            for index, order in enumerate(orders):
                order.update(dict(zip(_SLA_DATES, ends[4 * index : 4 * index + 4], strict=True)))

    @api.depends("date_response", "date_resolved", "response_deadline", "resolution_deadline")
    def _compute_sla_late(self):
        for order in self:
            order.sla_response_late = bool(
                order.date_response
                and order.response_deadline
                and order.date_response > order.response_deadline
            )
            order.sla_resolution_late = bool(
                order.date_resolved
                and order.resolution_deadline
                and order.date_resolved > order.resolution_deadline
            )

    @api.depends(
        "state",
        "sla_policy_id",
        "response_deadline",
        "resolution_deadline",
        "date_response",
        "date_resolved",
        "response_risk_date",
        "resolution_risk_date",
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for order in self:
            order.sla_status = order._sla_status_at(now)

    def _sla_status_at(self, now):
        self.ensure_one()
        # A cancelled order is judged by nobody: no status rather than breached.
        if not self.sla_policy_id or not self.resolution_deadline or self.state == "cancelled":
            return False
        responded = self.date_response or now
        if responded > self.response_deadline:
            return "breached"
        if self.date_resolved:
            return "met" if self.date_resolved <= self.resolution_deadline else "breached"
        if now > self.resolution_deadline:
            return "breached"
        if (not self.date_response and now >= self.response_risk_date) or now >= self.resolution_risk_date:
            return "at_risk"
        return "on_track"

    def _search_sla_status(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        now = fields.Datetime.now()
        has_sla = (
            Domain("sla_policy_id", "!=", False)
            & Domain("resolution_deadline", "!=", False)
            & Domain("state", "!=", "cancelled")
        )
        unanswered = Domain("date_response", "=", False)
        unresolved = Domain("date_resolved", "=", False)
        breached = has_sla & (
            (unanswered & Domain("response_deadline", "<", now))
            | Domain("sla_response_late", "=", True)
            | Domain("sla_resolution_late", "=", True)
            | (unresolved & Domain("resolution_deadline", "<", now))
        )
        met = has_sla & ~breached & ~unresolved
        at_risk = (has_sla & ~breached & unresolved) & (
            (unanswered & Domain("response_risk_date", "<=", now)) | Domain("resolution_risk_date", "<=", now)
        )
        by_status = {
            "breached": breached,
            "met": met,
            "at_risk": at_risk,
            "on_track": has_sla & ~breached & unresolved & ~at_risk,
        }
        values = {value} if isinstance(value, (str, bool)) else set(value)
        domain = Domain.OR([by_status[v] for v in values if v in by_status])
        if False in values:
            domain |= ~has_sla
        return domain if operator == "in" else ~domain

    # ------------------------------------------------------------------ field access
    @api.model
    def _get_protected_fields(self):
        """Fields that no user writes, whatever their group: references, lifecycle, figures derived
        from other records and SLA clocks. Only internal code, under sudo, sets them. Modules that
        derive more figures add theirs."""
        return {
            "name",
            "state",
            "planned_hours",
            "worked_hours",
            "remaining_hours",
            "progress",
            "date_response",
            "date_resolved",
            "response_deadline",
            "resolution_deadline",
            "response_risk_date",
            "resolution_risk_date",
            "sla_response_late",
            "sla_resolution_late",
            "sla_alerted_status",
        }

    @api.model
    def _get_technician_writable_fields(self):
        """What a technician (not a dispatcher) may change on the orders they work on. Modules that
        give technicians more to fill in on site (checklists, photos, signature) add theirs."""
        return {"notes", "tag_ids", "priority", "color"}

    @api.model
    def _has_field_access(self, field, operation):
        if not super()._has_field_access(field, operation):
            return False
        if operation != "write" or self.env.su:
            return True
        if field.name in self._get_protected_fields():
            return False
        return field.name in self._get_technician_writable_fields() or self._user_is_dispatcher()

    @api.model
    def _check_fields_writable(self, field_names):
        """The ORM refuses the same fields; this names them in words the user understands."""
        if self.env.su:
            return
        protected = self._get_protected_fields() & field_names
        if protected:
            raise AccessError(
                self.env._(
                    "%(fields)s of a service order cannot be changed by hand: they are set by the "
                    "system (numbering, lifecycle actions, assignments, time records and SLA rules).",
                    fields=self._field_labels(protected),
                )
            )
        if not self._user_is_dispatcher():
            refused = {
                name
                for name in field_names
                if name in self._fields and name not in self._get_technician_writable_fields()
            }
            if refused:
                raise AccessError(
                    self.env._(
                        "Only dispatchers can change %(fields)s of a service order.",
                        fields=self._field_labels(refused),
                    )
                )

    @api.model
    def _field_labels(self, names):
        return ", ".join(sorted(self._fields[name]._description_string(self.env) for name in names))

    # ------------------------------------------------------------------ CRUD
    def write(self, vals):
        self._check_fields_writable(vals.keys())
        dates.check_date_values(self, vals, _DATE_FIELDS)
        if "company_id" in vals:
            self._check_company_change(vals["company_id"])
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        protected = self._get_protected_fields()

        def blank(name, value):
            return not value or value == _BLANK_DEFAULTS.get(name)

        # Integrations send the defaults of the fields they know (a draft state, "New", 0 hours):
        # those are harmless; anything else of a protected field is refused.
        self._check_fields_writable(
            {name for vals in vals_list for name, value in vals.items() if not blank(name, value)} & protected
            | {
                key[8:]
                for key, value in self.env.context.items()
                if key.startswith("default_") and key[8:] in protected and not blank(key[8:], value)
            }
        )
        vals_list = [
            {name: value for name, value in vals.items() if name not in protected} for vals in vals_list
        ]
        # The blank defaults are dropped from the context too: the ORM would check them as writes.
        pruned = self.env(
            context={
                key: value
                for key, value in self.env.context.items()
                if not (key.startswith("default_") and key[8:] in protected)
            }
        )
        return super(ServiceOrder, self.with_env(pruned)).create(vals_list).with_env(self.env)

    def _prepare_create_values(self, vals_list):
        # After the ORM's field access check: the reference is the system's to give.
        result = super()._prepare_create_values(vals_list)
        self._assign_names(result)
        return result

    @api.model
    def _assign_names(self, vals_list):
        """Number the new orders, one sequence query per company and year."""
        groups = defaultdict(list)
        for vals in vals_list:
            dates.check_date_values(self, vals, _DATE_FIELDS)
            if vals.get("name", "New") == "New":
                company_id = vals.get("company_id") or self.env.company.id
                day = fields.Datetime.to_datetime(vals.get("date_start")) or fields.Datetime.now()
                groups[company_id, day.year].append((vals, day))
        for (company_id, _year), items in groups.items():
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .search(
                    [("code", "=", "service.order"), ("company_id", "in", [company_id, False])],
                    order="company_id",
                    limit=1,
                )
            )
            if not sequence:
                raise UserError(self.env._("The sequence that numbers service orders is missing."))
            names = sequence._service_next_batch(len(items), sequence_date=items[0][1])
            for (vals, _day), name in zip(items, names, strict=True):
                vals["name"] = name

    def _check_company_change(self, company_id):
        company = self.env["res.company"].browse(company_id)
        if not self.env.su and company not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You cannot move %(orders)s to %(company)s: you do not work for that company.",
                    orders=", ".join(self.mapped("name")),
                    company=company.sudo().name or company_id,
                )
            )
        moving = self.filtered(lambda order: order.company_id != company)
        if moving:
            moving._check_company_move(company)

    def _check_company_move(self, company):
        """Raise a UserError naming the orders that cannot move to ``company``. Modules whose
        records hang on the order's company (assignments, sales, time records) refuse here."""

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda o: o.state not in ("draft", "cancelled"))
        if started:
            raise UserError(
                self.env._(
                    "Only draft or cancelled service orders can be deleted; cancel these first: %(orders)s",
                    orders=", ".join(started.mapped("name")),
                )
            )

    # ------------------------------------------------------------------ lifecycle
    @api.model
    def _get_state_transitions(self):
        """The moves of the lifecycle: target state -> states it may be reached from."""
        return {
            "draft": {"cancelled"},
            "scheduled": {"draft"},
            "in_progress": {"draft", "scheduled"},
            "done": {"scheduled", "in_progress"},
            "cancelled": {"draft", "scheduled", "in_progress"},
        }

    def _prepare_state_values(self, state, now):
        """The values written on this order when it moves to ``state`` at ``now``."""
        self.ensure_one()
        vals = {"state": state}
        if state == "draft":
            vals.update(date_response=False, date_resolved=False)
        elif state == "done":
            vals["date_resolved"] = now
        if state in ("scheduled", "in_progress", "done") and not self.date_response:
            vals["date_response"] = now
        return vals

    def _lock_for_state_change(self):
        """Lock the orders and read their state afresh, so that two workers moving the same order
        at once (one finishing it, one cancelling it) are serialised and the second sees the first
        one's move instead of overwriting it."""
        if not self.ids:
            return
        self.flush_recordset(["state"])
        self.env.cr.execute(
            SQL("SELECT id FROM service_order WHERE id IN %s ORDER BY id FOR NO KEY UPDATE", tuple(self.ids))
        )
        self.invalidate_recordset(["state"])

    def _set_state(self, state):
        """Move the orders to ``state``, refusing any move the lifecycle does not allow. The only
        path that writes the state: actions and other modules call it after their own checks."""
        allowed_from = self._get_state_transitions()[state]
        self._lock_for_state_change()
        refused = self.filtered(lambda o: o.state not in allowed_from)
        if refused:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(orders)s cannot be set to %(target)s: %(reason)s",
                    orders=", ".join(f"{o.name} ({labels[o.state]})" for o in refused),
                    target=labels[state],
                    reason=self.env._(
                        "only orders that are %(states)s can be.",
                        states=" / ".join(labels[s] for s in sorted(allowed_from)),
                    ),
                )
            )
        now = fields.Datetime.now()
        # Orders that get the same values are written together.
        batches = defaultdict(list)
        for order in self:
            vals = order._prepare_state_values(state, now)
            batches[tuple(sorted(vals.items()))].append(order.id)
        for items, ids in batches.items():
            self.browse(ids).sudo().write(dict(items))
        return True

    def _user_is_dispatcher(self):
        return self.env.user.has_group("service_order.group_service_dispatcher")

    @api.depends_context("uid")
    def _compute_is_dispatcher(self):
        self.is_dispatcher = self._user_is_dispatcher()

    def _check_dispatcher(self):
        if not self._user_is_dispatcher():
            raise AccessError(self.env._("Only dispatchers and service managers can do this."))

    def action_schedule(self):
        self._check_dispatcher()
        return self._set_state("scheduled")

    def action_start(self):
        return self._set_state("in_progress")

    def action_done(self):
        return self._set_state("done")

    def action_cancel(self):
        self._check_dispatcher()
        return self._set_state("cancelled")

    def action_draft(self):
        self._check_dispatcher()
        return self._set_state("draft")

    def _cron_sla_reminder(self):
        """Alert the responsible (or, for an order nobody is responsible for, its creator) when an
        open order becomes at risk and when it is breached: one activity per order and status,
        even after the first one was marked done. Dates are in that person's time zone."""
        open_orders = Domain("state", "not in", ["done", "cancelled"])
        at_risk = self.search(
            open_orders & Domain("sla_status", "in", ["at_risk"]) & Domain("sla_alerted_status", "=", False)
        )
        breached = self.search(
            open_orders
            & Domain("sla_status", "in", ["breached"])
            & Domain("sla_alerted_status", "in", [False, "at_risk"])
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        summaries = {"at_risk": self.env._("SLA at risk"), "breached": self.env._("SLA breached")}
        values = []
        for status, orders in (("at_risk", at_risk), ("breached", breached)):
            for order in orders:
                user = order.user_id or order.create_uid
                values.append(
                    {
                        "res_model_id": model_id,
                        "res_id": order.id,
                        "activity_type_id": activity_type.id,
                        "summary": summaries[status],
                        "note": order._sla_alert_note(user),
                        "user_id": user.id,
                        "date_deadline": _local_date(order._sla_next_deadline(), user.tz),
                    }
                )
            orders.sudo().sla_alerted_status = status
        self.env["mail.activity"].create(values)

    def _sla_next_deadline(self):
        self.ensure_one()
        if not self.date_response and self.response_deadline:
            return self.response_deadline
        return self.resolution_deadline

    def _sla_alert_note(self, user):
        self.ensure_one()
        tz = user.tz or "UTC"
        if not self.date_response and self.response_deadline:
            return self.env._(
                "The response deadline is %(response)s; the resolution deadline is %(resolution)s.",
                response=format_datetime(self.env, self.response_deadline, tz=tz),
                resolution=format_datetime(self.env, self.resolution_deadline, tz=tz),
            )
        return self.env._(
            "The resolution deadline is %(deadline)s.",
            deadline=format_datetime(self.env, self.resolution_deadline, tz=tz),
        )

    # ------------------------------------------------------------------ planning hooks
    # Here rather than in service_order_planning, so that a module knowing the customer's window
    # (service_order_sale) extends them without depending on the planning, nor it on sales.
    @api.model
    def _service_planning_order(self):
        """The order in which orders to plan are listed and auto-planned: SLA deadline first.
        Modules that know the customer's preferred window put it before the last term."""
        return "resolution_deadline asc, priority desc, id asc"

    def _service_planning_windows(self):
        """Per order id, the ``(start, end)`` (naive UTC) the customer asked the work to be done
        in, for the orders that have one. None here; modules that carry the customer's window
        (service_order_sale) extend this."""
        return {}

    @api.model
    def _service_product_depends(self):
        """Field paths from an order to the products it delivers, for the computes that follow
        them (service_order_planning: the required skills). None here; modules that know the
        products (service_order_sale: the sale lines) extend this."""
        return []

    def _get_service_products(self):
        """The products (``product.product``) that these orders deliver, together. None here;
        modules that know them extend this, with ``_service_product_depends``."""
        return self.env["product.product"]


def _local_date(value, tz_name):
    return pytz.utc.localize(value).astimezone(pytz.timezone(tz_name or "UTC")).date()
