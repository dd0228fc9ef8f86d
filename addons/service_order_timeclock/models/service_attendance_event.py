from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError

from .service_assignment import CLOCK_ACTIONS

# Besides the clock, a phone that was offline replays the checks it ticked and the photos it took.
SYNC_ACTIONS = (*CLOCK_ACTIONS, "tick", "photo")

MAX_SYNC_EVENTS = 1000
# How long a phone may stay offline, and how far its clock may run ahead of the server's.
MAX_OFFLINE = timedelta(days=14)
MAX_CLOCK_SKEW = timedelta(minutes=5)


class ServiceAttendanceEvent(models.Model):
    """Every clock event a device sent, online or replayed after it was offline. Its
    key, made by the device, is unique: a replayed event is recognised, never applied twice."""

    _name = "service.attendance.event"
    _description = "Service Clock Event"
    _order = "id desc"

    key = fields.Char(required=True, readonly=True)
    action = fields.Selection(
        [
            ("travel", "On My Way"),
            ("arrive", "Arrive"),
            ("clock_out", "Clock Out"),
            ("tick", "Checklist Tick"),
            ("photo", "Photo"),
        ],
        required=True,
        readonly=True,
    )
    at = fields.Datetime(string="Time", required=True, readonly=True)
    assignment_id = fields.Many2one("service.assignment", required=True, readonly=True, ondelete="cascade")
    employee_id = fields.Many2one(
        related="assignment_id.employee_id", store=True, index=True, precompute=True
    )
    attendance_id = fields.Many2one("service.attendance", readonly=True, ondelete="set null")
    user_id = fields.Many2one("res.users", string="Sent By", required=True, readonly=True)
    latitude = fields.Float(digits=(10, 7), readonly=True)
    longitude = fields.Float(digits=(10, 7), readonly=True)
    company_id = fields.Many2one(related="assignment_id.company_id", store=True, index=True, precompute=True)

    _key_unique = models.UniqueIndex("(key)", "This clock event was already received.")

    # ------------------------------------------------------------------ offline sync
    @api.model
    def sync_events(self, events):
        """Apply clock events queued on a device while it was offline.

        :param events: a list of at most ``MAX_SYNC_EVENTS`` dicts ``{"key": str (device-made,
            unique), "assignment_id": int, "action": "travel" | "arrive" | "clock_out",
            "at": "YYYY-MM-DD HH:MM:SS" (UTC, when it happened), "latitude": float (optional),
            "longitude": float (optional)}``; a checklist tick has "action": "tick", "item_id":
            int and "done": bool; a photo has "action": "photo", "data": base64 and "name": str
        :return: a list, in the order received, of ``{"key": str, "status": "accepted" |
            "duplicate" | "refused", "message": str}`` (``key`` is False for an event without one)

        Events are applied in the order they happened; a refused one (the reason is in
        ``message``) does not stop the others. A key received before answers
        "duplicate" and changes nothing, so a device may replay its queue safely.
        """
        if not isinstance(events, (list, tuple)):
            raise ValidationError(self.env._("The events must be a list, not “%s”.", events))
        if len(events) > MAX_SYNC_EVENTS:
            raise ValidationError(
                self.env._(
                    "Send at most %(max)s events at once, not %(count)s.",
                    max=MAX_SYNC_EVENTS,
                    count=len(events),
                )
            )
        parsed, answers = [], {}
        for position, event in enumerate(events):
            try:
                parsed.append((position, *self._sync_parse(event)))
            except ValidationError as error:
                # False, not None, for an event without a usable key: XML-RPC has no None.
                key = (
                    event.get("key")
                    if isinstance(event, dict) and isinstance(event.get("key"), str)
                    else False
                )
                answers[position] = {"key": key, "status": "refused", "message": error.args[0]}
        known = set(
            self.sudo().search_fetch([("key", "in", [item[1] for item in parsed])], ["key"]).mapped("key")
        )
        todo, seen = [], set()
        for item in sorted(parsed, key=lambda i: (i[2], i[0])):
            position, key = item[:2]
            if key in known or key in seen:
                answers[position] = {"key": key, "status": "duplicate", "message": ""}
            else:
                seen.add(key)
                todo.append(item)
        try:
            # Nearly every queue applies as a whole: one savepoint, and the figures of the orders
            # computed once at its end.
            with self.env.cr.savepoint():
                self._sync_apply(todo, guarded=False)
        except (UserError, ValidationError, AccessError, MissingError, IntegrityError):
            # One event at least is refused: apply them one by one, to say which.
            for item in todo:
                answers[item[0]] = self._sync_apply_one(item)
        else:
            for item in todo:
                answers[item[0]] = {"key": item[1], "status": "accepted", "message": ""}
        return [answers[position] for position in range(len(events))]

    @api.model
    def _sync_apply(self, items, guarded):
        """Apply the parsed events ``items``, in their order, and keep their keys.

        Applied as a whole (not ``guarded``), a record opened by an event is created closed at
        the employee's next clock event, which the queue holds: the phone's day may lie before
        time recorded since (on another device, or typed in by a dispatcher). One by one, each
        event stands alone, as a live tap does."""
        Assignment = self.env["service.assignment"]
        closing = {} if guarded else self._sync_closing_times(items)
        opened = {}
        values = []
        for position, key, at, assignment_id, action, latitude, longitude, extra in items:
            job = Assignment.browse(assignment_id)
            attendance = self.env["service.attendance"]
            if action in CLOCK_ACTIONS:
                until = closing.get(position)
                attendance = job._clock_event(
                    action,
                    at,
                    latitude,
                    longitude,
                    guarded=guarded,
                    running=opened.pop(job.employee_id.id, None),
                    until=until,
                )
                if until:
                    opened[job.employee_id.id] = attendance
            elif action == "tick":
                job._record_tick(extra["item_id"], extra["done"], at)
            else:
                job.service_order_id.action_add_photo(extra["data"], extra["name"])
            values.append(
                {
                    "key": key,
                    "action": action,
                    "at": at,
                    "assignment_id": assignment_id,
                    "attendance_id": attendance.id,
                    "user_id": self.env.uid,
                    "latitude": latitude or 0.0,
                    "longitude": longitude or 0.0,
                }
            )
        self.sudo().create(values)

    @api.model
    def _sync_closing_times(self, items):
        """Per position of an event of ``items`` (in the order they happened) that opens a time
        record, the time of its employee's next clock event in ``items``, which closes it."""
        jobs = self.env["service.assignment"].browse({item[3] for item in items})
        employee_of = {job.id: job.employee_id.id for job in jobs}
        closing, last_opening = {}, {}
        for position, _key, at, assignment_id, action, *_rest in items:
            if action not in CLOCK_ACTIONS:
                continue
            employee = employee_of[assignment_id]
            if employee in last_opening:
                closing[last_opening.pop(employee)] = at
            if action != "clock_out":
                last_opening[employee] = position
        return closing

    @api.model
    def _sync_apply_one(self, item):
        key = item[1]
        try:
            with self.env.cr.savepoint():
                self._sync_apply([item], guarded=True)
        except (UserError, ValidationError, AccessError, MissingError) as error:
            return {"key": key, "status": "refused", "message": error.args[0]}
        except IntegrityError as error:
            return self._sync_integrity_answer(key, error)
        return {"key": key, "status": "accepted", "message": ""}

    @api.model
    def _sync_parse(self, event):
        if not isinstance(event, dict):
            raise ValidationError(self.env._("“%s” is not an event.", event))
        key = event.get("key")
        if not isinstance(key, str) or not 0 < len(key) <= 64:
            raise ValidationError(self.env._("“%s” is not a valid event key (1 to 64 characters).", key))
        action = event.get("action")
        if action not in SYNC_ACTIONS:
            raise ValidationError(self.env._("“%s” is not a clock action.", action))
        assignment_id = event.get("assignment_id")
        if isinstance(assignment_id, bool) or not isinstance(assignment_id, int) or assignment_id <= 0:
            raise ValidationError(self.env._("“%s” is not an assignment id.", assignment_id))
        try:
            at = fields.Datetime.to_datetime(event.get("at"))
        except (TypeError, ValueError):
            at = None
        if not at:
            raise ValidationError(self.env._("“%s” is not a valid time.", event.get("at")))
        now = fields.Datetime.now()
        if not now - MAX_OFFLINE <= at <= now + MAX_CLOCK_SKEW:
            raise ValidationError(
                self.env._(
                    "%(at)s is not a plausible time for a clock event: "
                    "it must lie between %(first)s and now.",
                    at=fields.Datetime.to_string(at),
                    first=fields.Datetime.to_string(now - MAX_OFFLINE),
                )
            )
        return (
            key,
            at.replace(microsecond=0),
            assignment_id,
            action,
            event.get("latitude"),
            event.get("longitude"),
            self._sync_parse_extra(action, event),
        )

    @api.model
    def _sync_parse_extra(self, action, event):
        """What a checklist tick or a photo carries besides the job and the time."""
        if action == "tick":
            item_id, done = event.get("item_id"), event.get("done")
            if isinstance(item_id, bool) or not isinstance(item_id, int) or item_id <= 0:
                raise ValidationError(self.env._("“%s” is not a checklist item id.", item_id))
            if not isinstance(done, bool):
                raise ValidationError(self.env._("“%s” is not true or false.", done))
            return {"item_id": item_id, "done": done}
        if action == "photo":
            # The photo's own checks (size, type, name) run when it is added.
            return {"data": event.get("data"), "name": event.get("name")}
        return {}

    @api.model
    def _sync_integrity_answer(self, key, error):
        """A race with another replay of the same key is a duplicate; anything else broke an
        invariant of the time records."""
        if getattr(error.diag, "constraint_name", "") == "service_attendance_event__key_unique":
            return {"key": key, "status": "duplicate", "message": ""}
        return {
            "key": key,
            "status": "refused",
            "message": self.env["service.attendance"]._sql_error_to_message(error),
        }
