from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .service_assignment import OPEN_STATES, _format_local


class ServiceOrder(models.Model):
    _inherit = "service.order"

    assignment_ids = fields.One2many("service.assignment", "service_order_id", string="Assignments")
    assignment_count = fields.Integer(compute="_compute_assignment_count")
    # Redefined from service_order: the sum of the active assignments' planned hours.
    planned_hours = fields.Float(
        compute="_compute_planned_hours",
        store=True,
        readonly=True,
        copy=False,
        help="Hours planned in the assignments that are not cancelled.",
    )
    is_overbooked = fields.Boolean(
        string="Overbooked",
        compute="_compute_is_overbooked",
        store=True,
        help="More hours are planned than were sold.",
    )

    @api.depends("assignment_ids.planned_hours", "assignment_ids.state")
    def _compute_planned_hours(self):
        planned = dict(
            self.env["service.assignment"]._read_group(
                [("service_order_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["service_order_id"],
                ["planned_hours:sum"],
            )
        )
        for order in self:
            order.planned_hours = planned.get(order._origin, 0.0)

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
    def write(self, vals):
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
