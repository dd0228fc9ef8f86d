from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import float_compare

from .service_assignment import OPEN_STATES, _format_local


class ServiceOrder(models.Model):
    _inherit = "service.order"
    # The order picker of the assignment form finds orders by customer too.
    _rec_names_search = ["name", "partner_id.complete_name"]

    assignment_ids = fields.One2many("service.assignment", "service_order_id", string="Assignments")
    assignment_count = fields.Integer(compute="_compute_assignment_count")
    # Redefined from service_order: the sum of the active assignments' planned hours.
    planned_hours = fields.Float(
        compute="_compute_assignment_figures",
        store=True,
        readonly=True,
        copy=False,
        help="Hours planned in the assignments that are not cancelled.",
    )
    unplanned_hours = fields.Float(
        string="To Plan",
        compute="_compute_unplanned_hours",
        store=True,
        help="Sold hours not planned yet in an assignment.",
    )
    next_visit = fields.Datetime(
        compute="_compute_assignment_figures",
        store=True,
        readonly=True,
        copy=False,
        help="The start of the first assignment still to do (planned or confirmed).",
    )
    skill_ids = fields.Many2many(
        "hr.skill",
        "service_order_skill_rel",
        "service_order_id",
        "skill_id",
        string="Required Skills",
        compute="_compute_skill_ids",
        store=True,
        readonly=False,
        help="The skills the work needs: auto-plan only books people who have them all. The skills "
        "of the products the order delivers are added as they are sold.",
    )
    is_overbooked = fields.Boolean(
        string="Overbooked",
        compute="_compute_is_overbooked",
        store=True,
        help="More hours are planned than were sold.",
    )

    @api.depends("assignment_ids.planned_hours", "assignment_ids.state", "assignment_ids.date_start")
    def _compute_assignment_figures(self):
        """Planned hours (of the assignments not cancelled) and the next visit (the start of the
        first assignment still to do) in one query. The next visit is stored, so that My Work
        can sort on it: the first visit left to do rather than the next in time, which would
        change with the clock; done visits leave it."""
        planned = defaultdict(float)
        starts = {}
        for order, state, hours, start in self.env["service.assignment"]._read_group(
            [("service_order_id", "in", self.ids), ("state", "!=", "cancelled")],
            ["service_order_id", "state"],
            ["planned_hours:sum", "date_start:min"],
        ):
            planned[order] += hours
            if state in OPEN_STATES:
                starts[order] = min(starts.get(order, start), start)
        for order in self:
            order.planned_hours = planned.get(order._origin, 0.0)
            order.next_visit = starts.get(order._origin, False)

    @api.depends(lambda self: self._service_product_depends())
    def _compute_skill_ids(self):
        # Added, not replaced: the skills a dispatcher added by hand stay when a product is sold
        # later. The products' skills are read again when the products sold change, so one the
        # dispatcher removed comes back then if a product still requires it.
        for order in self:
            order.skill_ids |= order._get_service_products().product_tmpl_id.service_skill_ids

    @api.depends_context("service_order_show_partner")
    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        # The order picker of an assignment: a reference alone says little to a dispatcher.
        show_partner = self.env.context.get("service_order_show_partner")
        for order in self:
            if show_partner and order.partner_id:
                order.display_name = f"{order.name} - {order.partner_id.name}"
            else:
                order.display_name = order.name

    @api.depends("planned_hours", "sold_hours")
    def _compute_unplanned_hours(self):
        for order in self:
            order.unplanned_hours = max(order.sold_hours - order.planned_hours, 0.0)

    @api.depends("assignment_ids.state")
    def _compute_assignment_count(self):
        counts = dict(
            self.env["service.assignment"]._read_group(
                [("service_order_id", "in", self.ids)], ["service_order_id"], ["__count"]
            )
        )
        for order in self:
            order.assignment_count = counts.get(order._origin, 0)

    @api.depends("planned_hours", "sold_hours")
    def _compute_is_overbooked(self):
        for order in self:
            order.is_overbooked = float_compare(order.planned_hours, order.sold_hours, precision_digits=2) > 0

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        self._check_skill_ids(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_skill_ids([vals])
        # The site also changes when what it is computed from does (the customer).
        site_sources = {"site_id"}
        site_sources.update(path.split(".")[0] for path in self.pool.field_depends[self._fields["site_id"]])
        if not site_sources & vals.keys():
            return super().write(vals)
        old_sites = {order.id: order.site_id for order in self}
        result = super().write(vals)
        moved = self.filtered(lambda o: o.site_id != old_sites[o.id])
        if moved:
            self.env["service.assignment"]._check_order_sites(moved)
        return result

    @api.model
    def _check_skill_ids(self, vals_list):
        """Skills given by id (set or link commands) must be skills: a forged id would fail in
        the database, with a message about deleting records that the user cannot act on."""
        given, wrong = set(), []
        for vals in vals_list:
            commands = vals.get("skill_ids") or []
            if not isinstance(commands, (list, tuple)):
                wrong.append(commands)
                continue
            for command in commands:
                if isinstance(command, (list, tuple)) and command and command[0] == Command.SET:
                    given.update(command[2] if isinstance(command[2], (list, tuple)) else [command[2]])
                elif isinstance(command, (list, tuple)) and len(command) > 1 and command[0] == Command.LINK:
                    given.add(command[1])
        ids = {value for value in given if isinstance(value, int) and not isinstance(value, bool)}
        wrong += [value for value in given if value not in ids]
        wrong += sorted(ids - set(self.env["hr.skill"].sudo().browse(ids).exists().ids))
        if wrong:
            raise ValidationError(
                self.env._("There is no skill %s.", ", ".join(repr(value)[:50] for value in wrong))
            )

    def _check_company_move(self, company):
        """Assignments book people of the order's company: moving the order would leave them
        booked by another company, cancelled ones included (they would still be shown there)."""
        booked = [
            order
            for [order] in self.env["service.assignment"]
            .sudo()
            ._read_group([("service_order_id", "in", self.ids)], ["service_order_id"])
        ]
        if booked:
            raise UserError(
                self.env._(
                    "%(orders)s cannot move to %(company)s: their assignments book people of their "
                    "current company. Cancel and delete these assignments first.",
                    orders=", ".join(order.name for order in booked),
                    company=company.name,
                )
            )
        return super()._check_company_move(company)

    # ------------------------------------------------------------------ lifecycle
    def _set_state(self, state):
        result = super()._set_state(state)
        if state in ("done", "cancelled"):
            self._cancel_open_assignments()
        return result

    def _cancel_open_assignments(self):
        """Free the time still booked on orders that are over, and say so in their chatter.
        Done assignments stay done: they are what happened."""
        # Under sudo: whoever may close the order frees the bookings of everybody on it.
        assignments = (
            self.env["service.assignment"]
            .sudo()
            .search([("service_order_id", "in", self.ids), ("state", "in", OPEN_STATES)], order="date_start")
        )
        if not assignments:
            return
        assignments.write({"state": "cancelled"})
        lines = defaultdict(list)
        for assignment in assignments:
            employee = assignment.employee_id
            lines[assignment.service_order_id].append(
                self.env._(
                    "%(employee)s, %(start)s to %(end)s",
                    employee=employee.name,
                    start=_format_local(assignment.date_start, employee.tz),
                    end=_format_local(assignment.date_end, employee.tz),
                )
            )
        title = self.env._("Assignments cancelled with the order, their time is free again:")
        bodies = {
            order.id: Markup("<p>%s</p><ul>%s</ul>")
            % (title, Markup().join(Markup("<li>%s</li>") % line for line in order_lines))
            for order, order_lines in lines.items()
        }
        assignments.service_order_id._message_log_batch(bodies)

    # ------------------------------------------------------------------ board
    @api.model
    def get_board_orders(self, search="", tag_ids=None, partner_ids=None, sla_statuses=None, limit=80):
        """The orders the board's side panel lists: not done or cancelled, with sold hours
        still to plan, in ``_service_planning_order``; filtered by ``search`` (a text in the
        reference or the customer), tags, customers and SLA statuses (lists). Returns
        ``{"orders": [{"id", "name", "customer", "partner_id", "city", "unplanned_hours", "sla_status",
        "deadline", "tags"}], "count": int}``."""
        Assignment = self.env["service.assignment"]
        Assignment._check_dispatcher()
        if not isinstance(search, str) or len(search) > 200:
            raise ValidationError(self.env._("“%s” is not a text to search for.", repr(search)[:100]))
        if isinstance(limit, bool) or not isinstance(limit, int) or not 0 < limit <= 500:
            raise ValidationError(
                self.env._("“%s” is not a number of orders from 1 to 500.", repr(limit)[:100])
            )
        domain = Domain("state", "not in", ("done", "cancelled")) & Domain("unplanned_hours", ">", 0)
        if search:
            domain &= Domain("name", "ilike", search) | Domain("partner_id", "ilike", search)
        if tag_ids:
            domain &= Domain("tag_ids", "in", Assignment._board_ids(tag_ids, self.env._("Tags")))
        if partner_ids:
            domain &= Domain(
                "partner_id", "child_of", Assignment._board_ids(partner_ids, self.env._("Customers"))
            )
        if sla_statuses:
            statuses = dict(self._fields["sla_status"]._description_selection(self.env))
            if not isinstance(sla_statuses, (list, tuple)) or any(
                not isinstance(status, str) or status not in statuses for status in sla_statuses
            ):
                raise ValidationError(
                    self.env._("“%s” is not a list of SLA statuses.", repr(sla_statuses)[:100])
                )
            domain &= Domain("sla_status", "in", list(sla_statuses))
        orders = self.search_fetch(
            domain,
            [
                "name",
                "partner_id",
                "site_id",
                "unplanned_hours",
                "sla_status",
                "resolution_deadline",
                "tag_ids",
            ],
            limit=limit,
            order=self._service_planning_order(),
        )
        return {
            "count": self.search_count(domain) if len(orders) == limit else len(orders),
            "orders": [
                {
                    "id": order.id,
                    "name": order.name,
                    "customer": order.partner_id.display_name,
                    "partner_id": order.partner_id.id,
                    "city": order.site_id.city or order.partner_id.city or "",
                    "unplanned_hours": order.unplanned_hours,
                    "sla_status": order.sla_status or "",
                    "deadline": fields.Datetime.to_string(order.resolution_deadline) or "",
                    "tags": [[tag.id, tag.name, tag.color] for tag in order.tag_ids],
                }
                for order in orders
            ],
        }

    # ------------------------------------------------------------------ actions
    def action_view_assignments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_order_planning.service_assignment_action"
        )
        action.update(
            domain=[("service_order_id", "=", self.id)],
            context={"default_service_order_id": self.id},
        )
        return action

    def action_plan_assignments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_order_planning.service_assignment_planning_wizard_action"
        )
        action["context"] = {"default_service_order_id": self.id}
        return action
