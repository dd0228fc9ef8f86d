import math
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import quote_plus

import pytz
from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

CLOCK_ACTIONS = ("travel", "arrive", "clock_out")
# The farthest the My Jobs screen looks ahead.
MAX_JOB_DAYS = 31


class ServiceAssignment(models.Model):
    _inherit = "service.assignment"

    attendance_ids = fields.One2many("service.attendance", "assignment_id", string="Time Records")
    worked_hours = fields.Float(
        compute="_compute_worked_hours", store=True, help="Hours worked on site (travel excluded)."
    )
    travel_hours = fields.Float(compute="_compute_worked_hours", store=True)
    clock_state = fields.Selection(
        [("idle", "Not Clocked"), ("travel", "On the Way"), ("work", "Working")],
        compute="_compute_clock_state",
        help="What the assigned person is recording on this job right now.",
    )
    clock_since = fields.Datetime(compute="_compute_clock_state")

    @api.depends("attendance_ids.worked_hours", "attendance_ids.kind")
    def _compute_worked_hours(self):
        sums = {
            (assignment.id, kind): hours
            for assignment, kind, hours in self.env["service.attendance"]._read_group(
                [("assignment_id", "in", self.ids)], ["assignment_id", "kind"], ["worked_hours:sum"]
            )
        }
        for assignment in self:
            assignment.worked_hours = sums.get((assignment._origin.id, "work"), 0.0)
            assignment.travel_hours = sums.get((assignment._origin.id, "travel"), 0.0)

    @api.depends("attendance_ids.check_out")
    def _compute_clock_state(self):
        open_records = {
            attendance.assignment_id.id: attendance
            for attendance in self.env["service.attendance"]
            .sudo()
            .search([("assignment_id", "in", self.ids), ("check_out", "=", False)])
        }
        for assignment in self:
            attendance = open_records.get(assignment._origin.id)
            assignment.clock_state = attendance.kind if attendance else "idle"
            assignment.clock_since = attendance.check_in if attendance else False

    # ------------------------------------------------------------------ the technician's phone
    @api.model
    def get_my_jobs(self, days=7):
        """The current user's open jobs from today (in their time zone) to ``days`` days ahead,
        and any job they are clocked on, by start: what the My Jobs screen shows.

        :return: a list of dicts with the job, its order, customer, site (address and maps link),
            the customer's phone, scope and notes, times (UTC "YYYY-MM-DD HH:MM:SS") and its
            clock state (``idle``, ``travel`` or ``work``) since ``clock_since``.
        """
        if isinstance(days, bool) or not isinstance(days, int) or not 0 < days <= MAX_JOB_DAYS:
            raise ValidationError(self.env._("“%(days)s” is not a number of days from 1 to 31.", days=days))
        tz = pytz.timezone(self.env.user.tz or "UTC")
        today = datetime.now(tz).replace(hour=0, minute=0, second=0, microsecond=0)
        start = today.astimezone(pytz.utc).replace(tzinfo=None)
        end = start + timedelta(days=days)
        running = self.env["service.attendance"].search(
            [("employee_id.user_id", "=", self.env.uid), ("check_out", "=", False)]
        )
        jobs = (
            self.search(
                [
                    ("employee_id.user_id", "=", self.env.uid),
                    ("state", "in", ["planned", "confirmed"]),
                    ("date_end", ">", start),
                    ("date_start", "<", end),
                ]
            )
            | running.assignment_id
        )
        return [job._my_job_values() for job in jobs.sorted("date_start")]

    def _my_job_values(self):
        self.ensure_one()
        order = self.service_order_id
        site = self.site_id or order.site_id
        customer = order.partner_id
        address = ", ".join(part for part in (site.street, site.zip, site.city) if part)
        return {
            "id": self.id,
            "state": self.state,
            "order_id": order.id,
            "order_name": order.name,
            "order_state": order.state,
            "customer": customer.display_name,
            "phone": site.phone or customer.phone or "",
            "site": site.display_name or "",
            "address": address,
            "maps_url": f"https://www.google.com/maps/search/?api=1&query={quote_plus(address)}"
            if address
            else "",
            "scope": order.scope or "",
            "notes": order.notes or "",
            "date_start": fields.Datetime.to_string(self.date_start),
            "date_end": fields.Datetime.to_string(self.date_end),
            "planned_hours": self.planned_hours,
            "worked_hours": self.worked_hours,
            "checklist": [
                {"id": item.id, "name": item.name, "required": item.required, "done": item.is_done}
                for item in order.checklist_item_ids
            ],
            "photo_count": order.photo_count,
            "clock_state": self.clock_state,
            "clock_since": fields.Datetime.to_string(self.clock_since) if self.clock_since else False,
        }

    # ------------------------------------------------------------------ public actions
    def action_on_my_way(self, latitude=None, longitude=None):
        self._clock_event("travel", fields.Datetime.now(), latitude, longitude)
        return True

    def action_clock_in(self, latitude=None, longitude=None):
        self._clock_event("arrive", fields.Datetime.now(), latitude, longitude)
        return True

    def action_clock_out(self, latitude=None, longitude=None):
        self._clock_event("clock_out", fields.Datetime.now(), latitude, longitude)
        return True

    def action_finish(self):
        """The job is done: close the running time record, mark the assignment done, and the order
        done when none of its assignments is left open."""
        self._check_can_clock()
        for assignment in self:
            if assignment.clock_state == "work":
                assignment._clock_event("clock_out", fields.Datetime.now())
            elif assignment.clock_state == "travel":
                raise UserError(
                    self.env._(
                        "%(job)s: arrive on site before finishing the job.", job=assignment.display_name
                    )
                )
        self._check_completion()
        self.sudo().filtered(lambda a: a.state in ("planned", "confirmed")).write({"state": "done"})
        orders = self.service_order_id.filtered(
            lambda o: (
                o.state in ("scheduled", "in_progress")
                and all(a.state in ("done", "cancelled") for a in o.assignment_ids)
            )
        )
        if orders:
            orders.sudo()._set_state("done")
        return True

    def _record_tick(self, item_id, done, at):
        """A check of this job's order ticked (or unticked) at ``at``, replayed from a phone: it
        sets the state the phone showed, so that replaying it twice changes nothing."""
        self.ensure_one()
        # Read as the system to name the mistake; the tick itself checks the user's access.
        item = self.env["service.order.checklist.item"].sudo().browse(item_id).exists()
        if item.service_order_id != self.service_order_id.sudo():
            raise ValidationError(
                self.env._(
                    "Check %(item)s is not on %(order)s.", item=item_id, order=self.service_order_id.name
                )
            )
        item.with_env(self.env)._set_done(done, at)

    def _check_completion(self):
        """Raise a UserError naming what is missing before these jobs can be finished. The
        checklists hook in here."""
        # Only the last open job of an order completes it: a colleague still on site may tick the
        # remaining checks.
        completing = self.service_order_id.filtered(
            lambda order: all(
                assignment in self or assignment.state in ("done", "cancelled")
                for assignment in order.sudo().assignment_ids
            )
        )
        completing._check_checklist_complete()

    # ------------------------------------------------------------------ clock engine
    def _clock_event(
        self, action, at, latitude=None, longitude=None, *, guarded=True, running=None, until=None
    ):
        """Apply one clock event of this assignment's employee at ``at`` (naive UTC). Returns the
        time record opened or closed.

        ``guarded``: write the time record at once, in a savepoint, so that a refusal of the
        database reads as the constraint's message. A caller that applies a batch in a savepoint
        of its own, and retries it event by event on any error, passes False.

        A replayed queue knows more than a live tap: ``until`` is when the employee's next event
        of the queue closes the record this one opens (created closed then: an open record runs
        forever, and would overlap the time recorded after the queue), and ``running`` is that
        record when the closing event comes (found in the database otherwise)."""
        self.ensure_one()
        if action not in CLOCK_ACTIONS:
            raise ValidationError(self.env._("“%s” is not a clock action.", action))
        latitude, longitude = _check_position(self.env, latitude, longitude)
        self._check_can_clock()
        Attendance = self.env["service.attendance"].sudo()
        if running is None:
            running = Attendance.search(
                [("employee_id", "=", self.employee_id.id), ("check_out", "=", False)]
            )
        if action == "clock_out":
            if running.assignment_id != self or running.kind != "work":
                raise UserError(
                    self.env._(
                        "%(employee)s is not working on %(job)s: clock in first.",
                        employee=self.employee_id.name,
                        job=self.service_order_id.name,
                    )
                )
            attendance = self._close(running, at, latitude, longitude, guarded)
        else:
            if running and not (
                action == "arrive" and running.kind == "travel" and running.assignment_id == self
            ):
                raise UserError(
                    self.env._(
                        "%(employee)s is already clocked on %(job)s (%(kind)s since %(since)s): "
                        "clock out first.",
                        employee=self.employee_id.name,
                        job=running.service_order_id.name,
                        kind=dict(running._fields["kind"]._description_selection(self.env))[running.kind],
                        since=fields.Datetime.to_string(running.check_in),
                    )
                )
            if running:
                self._close(running, at, latitude, longitude, guarded)
            attendance = self._open(
                "travel" if action == "travel" else "work", at, latitude, longitude, guarded, until=until
            )
            if action == "arrive":
                self._on_arrival(at)
        return attendance

    def _open(self, kind, at, latitude, longitude, guarded=True, *, until=None):
        values = {"employee_id": self.employee_id.id, "assignment_id": self.id, "kind": kind, "check_in": at}
        if until:
            values["check_out"] = until
        with self._database_guard(guarded):
            # The assignment's chatter tells the story: no "created" note or follower per record.
            attendance = (
                self.env["service.attendance"].sudo().with_context(tracking_disable=True).create(values)
            )
            attendance._record_position("in", latitude, longitude)
        return attendance

    def _close(self, attendance, at, latitude, longitude, guarded=True):
        if at < attendance.check_in:
            raise UserError(
                self.env._(
                    "%(employee)s cannot clock out at %(at)s: the record started at %(start)s.",
                    employee=attendance.employee_id.name,
                    at=fields.Datetime.to_string(at),
                    start=fields.Datetime.to_string(attendance.check_in),
                )
            )
        with self._database_guard(guarded):
            # Tracked fields are for corrections; a clock out is not one.
            attendance.with_context(tracking_disable=True).write({"check_out": at})
            attendance._record_position("out", latitude, longitude)
        return attendance

    @contextmanager
    def _database_guard(self, guarded=True):
        """Write the time records now, in a savepoint: a record that another request created in
        the meantime (a double tap) or that overlaps a recorded one is refused by the database,
        and the user reads the constraint's message instead of a failed request."""
        if not guarded:
            yield
            # A closing write must reach the database before the next record's insert.
            self.env["service.attendance"].flush_model()
            return
        try:
            # Without the flush of the whole environment a savepoint does by default: the clock
            # writes only time records, and flushing everything would run the chatter's tracking
            # of every change of the request in the middle of a tap.
            with self.env.cr.savepoint(flush=False):
                yield
                self.env["service.attendance"].flush_model()
        except IntegrityError as error:
            raise UserError(self.env["service.attendance"]._sql_error_to_message(error)) from error

    def _on_arrival(self, at):
        """The first arrival confirms a planned assignment, starts its order and answers the SLA."""
        if self.state == "planned":
            self.sudo().write({"state": "confirmed"})
        order = self.service_order_id.sudo()
        if order.state in ("draft", "scheduled"):
            order._set_state("in_progress")
        if not order.date_response or at < order.date_response:
            order.write({"date_response": at})

    def _check_can_clock(self):
        """Only the assigned person, or a dispatcher for them, clocks on an open job."""
        self.check_access("read")
        # Only what the checks need: an employee's full read goes through their contract version.
        self.employee_id.fetch(["user_id", "company_id", "name"])
        self.service_order_id.fetch(["state", "name", "company_id"])
        is_dispatcher = self.env.user.has_group("service_order.group_service_dispatcher")
        for assignment in self:
            if not is_dispatcher and assignment.employee_id.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "%(job)s is assigned to %(employee)s: you can only record your own time.",
                        job=assignment.service_order_id.name,
                        employee=assignment.employee_id.name,
                    )
                )
            order = assignment.service_order_id
            if assignment.state in ("done", "cancelled") or order.state in ("done", "cancelled"):
                order_states = dict(order._fields["state"]._description_selection(self.env))
                states = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "%(job)s is closed (order %(order_state)s, assignment %(state)s): no time can be "
                        "recorded on it.",
                        job=order.name,
                        order_state=order_states[order.state],
                        state=states[assignment.state],
                    )
                )


def _check_position(env, latitude, longitude):
    """Both coordinates or none, as finite numbers within the globe's ranges."""
    if latitude is None and longitude is None:
        return None, None
    for value, limit in ((latitude, 90), (longitude, 180)):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or abs(value) > limit
        ):
            raise ValidationError(env._("“%(value)s” is not a valid position.", value=value))
    return float(latitude), float(longitude)
