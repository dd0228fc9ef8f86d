import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

SERVICE_REPORT = "service_order_timeclock.service_report_action"
PHOTO_MIMETYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
SIGNATURE_MAX_BYTES = 1024 * 1024


class ServiceOrder(models.Model):
    _inherit = "service.order"

    attendance_ids = fields.One2many("service.attendance", "service_order_id", string="Time Records")
    # Redefined from service_order: the sum of the work recorded on the order's assignments.
    worked_hours = fields.Float(
        compute="_compute_worked_hours",
        store=True,
        readonly=True,
        copy=False,
        help="Hours worked on site, from the time records (travel excluded).",
    )
    travel_hours = fields.Float(compute="_compute_worked_hours", store=True, copy=False)
    hours_variance = fields.Float(
        string="Worked - Planned",
        compute="_compute_hours_variance",
        help="Positive when more was worked than planned.",
    )
    date_response = fields.Datetime(help="The first arrival on site, from the time clock.")

    checklist_template_id = fields.Many2one(
        "service.checklist.template",
        string="Checklist",
        check_company=True,
        help="The checks to do on this job: load them onto the order with Load Checklist.",
    )
    checklist_item_ids = fields.One2many("service.order.checklist.item", "service_order_id", string="Checks")
    checklist_open_count = fields.Integer(
        string="Open Required Checks",
        compute="_compute_checklist_open_count",
        help="Required checks not ticked yet: the order cannot be completed before they are.",
    )
    photo_ids = fields.One2many("service.order.photo", "service_order_id", string="Photos")
    photo_count = fields.Integer(compute="_compute_photo_count")
    customer_signature = fields.Binary(copy=False, attachment=True)
    signed_by = fields.Char(copy=False, tracking=True, help="The name of the person who signed.")
    signed_on = fields.Datetime(copy=False, tracking=True)

    @api.depends("attendance_ids.worked_hours", "attendance_ids.kind")
    def _compute_worked_hours(self):
        sums = {
            (order.id, kind): hours
            for order, kind, hours in self.env["service.attendance"]._read_group(
                [("service_order_id", "in", self.ids)], ["service_order_id", "kind"], ["worked_hours:sum"]
            )
        }
        for order in self:
            order.worked_hours = sums.get((order._origin.id, "work"), 0.0)
            order.travel_hours = sums.get((order._origin.id, "travel"), 0.0)

    @api.depends("worked_hours", "planned_hours")
    def _compute_hours_variance(self):
        for order in self:
            order.hours_variance = order.worked_hours - order.planned_hours

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {
            "travel_hours",
            "customer_signature",
            "signed_by",
            "signed_on",
        }

    def _prepare_state_values(self, state, now):
        """With the time clock, the response is the first arrival on site (set by the clock),
        not the moment the order is scheduled or started by hand."""
        vals = super()._prepare_state_values(state, now)
        if state in ("scheduled", "in_progress"):
            vals.pop("date_response", None)
        return vals

    def _check_company_move(self, company):
        timed = self.filtered("attendance_ids")
        if timed:
            raise UserError(
                self.env._(
                    "%(orders)s cannot move to another company: time was recorded on them.",
                    orders=", ".join(timed.mapped("name")),
                )
            )
        return super()._check_company_move(company)

    # ------------------------------------------------------------------ on the job
    @api.depends("checklist_item_ids.is_done", "checklist_item_ids.required")
    def _compute_checklist_open_count(self):
        counts = dict(
            self.env["service.order.checklist.item"]._read_group(
                [("service_order_id", "in", self.ids), ("required", "=", True), ("is_done", "=", False)],
                ["service_order_id"],
                ["__count"],
            )
        )
        for order in self:
            order.checklist_open_count = counts.get(order._origin, 0)

    @api.depends("photo_ids")
    def _compute_photo_count(self):
        counts = dict(
            self.env["service.order.photo"]._read_group(
                [("service_order_id", "in", self.ids)], ["service_order_id"], ["__count"]
            )
        )
        for order in self:
            order.photo_count = counts.get(order._origin, 0)

    def _check_job_access(self):
        """The people working on these orders (their technicians, and dispatchers) record the job
        on them (checks, photos, signature) while they are open."""
        self.check_access("write")
        closed = self.filtered(lambda order: order.state in ("done", "cancelled"))
        if closed:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(orders)s: the job is closed, nothing can be recorded on it any more.",
                    orders=", ".join(f"{order.name} ({labels[order.state]})" for order in closed),
                )
            )

    def _get_checklist_templates(self):
        """The templates whose checks apply to this order. Modules that know the order's products
        add the products' templates."""
        self.ensure_one()
        return self.checklist_template_id

    def action_load_checklist(self):
        """Add the checks of the order's templates that are not on the order yet."""
        self._check_dispatcher()
        vals_list = []
        for order in self:
            loaded = order.checklist_item_ids.template_item_id
            vals_list += [
                {
                    "service_order_id": order.id,
                    "template_item_id": item.id,
                    "sequence": item.sequence,
                    "name": item.name,
                    "required": item.required,
                }
                for item in order._get_checklist_templates().item_ids - loaded
            ]
        self.env["service.order.checklist.item"].create(vals_list)
        return True

    def _check_checklist_complete(self):
        """Refuse, naming them, the orders whose required checks are not all ticked."""
        open_items = self.sudo().checklist_item_ids.filtered(lambda item: item.required and not item.is_done)
        if open_items:
            raise UserError(
                "\n".join(
                    self.env._(
                        "%(order)s cannot be completed: tick these required checks first: %(items)s.",
                        order=order.name,
                        items=", ".join(
                            f"“{item.name}”" for item in open_items if item.service_order_id == order
                        ),
                    )
                    for order in open_items.service_order_id
                )
            )

    def _set_state(self, state):
        if state == "done":
            self._check_checklist_complete()
        result = super()._set_state(state)
        if state == "done":
            self._attach_service_report()
        return result

    def _attach_service_report(self):
        """Keep on each completed order its service report as the customer signed it: the report
        saves its PDF on done orders (see its attachment name)."""
        reports = self.env["ir.actions.report"].sudo()
        # Without a working wkhtmltopdf the job still completes; the report can be printed later.
        if reports.get_wkhtmltopdf_state() != "ok":
            return
        for order in self:
            reports._render_qweb_pdf(SERVICE_REPORT, order.ids)

    def action_add_photo(self, data, name=None):
        """Attach a photo taken on the job (base64, as the phone's camera gives it). Returns the id
        of the photo."""
        self.ensure_one()
        self._check_job_access()
        if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > 200):
            raise ValidationError(self.env._("“%(name)s” is not a valid photo name.", name=name))
        image = self._check_image_data(data, PHOTO_MAX_BYTES, self.env._("The photo"))
        photo = (
            self.env["service.order.photo"]
            .sudo()
            .create(
                {
                    "service_order_id": self.id,
                    "name": (name or "").strip() or f"{self.name} - {self.photo_count + 1}",
                    "image": image,
                    "user_id": self.env.uid,
                }
            )
        )
        return photo.id

    def action_sign(self, signature, name):
        """The customer signs the job off on the technician's phone."""
        self.ensure_one()
        self._check_job_access()
        if not isinstance(name, str) or not name.strip() or len(name) > 128:
            raise ValidationError(
                self.env._(
                    "“%(name)s” is not a valid name: say who signs, in at most 128 characters.", name=name
                )
            )
        image = self._check_image_data(signature, SIGNATURE_MAX_BYTES, self.env._("The signature"))
        self.sudo().write(
            {"customer_signature": image, "signed_by": name.strip(), "signed_on": fields.Datetime.now()}
        )
        return True

    @api.model
    def _check_image_data(self, data, max_bytes, what):
        """The base64 image that a browser sent, checked for its encoding, size and type."""
        if not data:
            raise ValidationError(self.env._("%(what)s is missing.", what=what))
        if not isinstance(data, (str, bytes)):
            raise ValidationError(
                self.env._(
                    "%(what)s must be an image encoded in base64, not “%(data)s”.", what=what, data=data
                )
            )
        if isinstance(data, str):
            data = data.encode("ascii", "replace")
        if data.startswith(b"data:"):
            data = data.partition(b",")[2]
        # Measured before decoding, so that an oversized upload costs no more memory: base64 takes
        # 4 characters for 3 bytes, and pads the last group with "=".
        size = len(data) * 3 // 4 - data[-2:].count(b"=")
        if size > max_bytes:
            raise ValidationError(
                self.env._(
                    "%(what)s is too large (%(size).1f MB): at most %(max).0f MB.",
                    what=what,
                    size=size / 1024 / 1024,
                    max=max_bytes / 1024 / 1024,
                )
            )
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValidationError(self.env._("%(what)s is not encoded in base64.", what=what)) from error
        mimetype = guess_mimetype(raw)
        if mimetype not in PHOTO_MIMETYPES:
            raise ValidationError(
                self.env._(
                    "%(what)s is a file of type %(mimetype)s, not an image: send a %(types)s image.",
                    what=what,
                    mimetype=mimetype,
                    types=" / ".join(PHOTO_MIMETYPES.values()),
                )
            )
        return base64.b64encode(raw)

    def action_send_service_report(self):
        """Open the mail composer with the service report attached, addressed to the customer."""
        self.ensure_one()
        template = self.env.ref(
            "service_order_timeclock.mail_template_service_report", raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Service Report"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id if template else False,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }
