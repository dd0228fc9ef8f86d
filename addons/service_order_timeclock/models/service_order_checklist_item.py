from odoo import api, fields, models
from odoo.exceptions import AccessError


class ServiceOrderChecklistItem(models.Model):
    """A check to do on one service order, ticked on site by the people working on it."""

    _name = "service.order.checklist.item"
    _description = "Service Order Checklist Item"
    _order = "service_order_id, sequence, id"
    _check_company_auto = True

    service_order_id = fields.Many2one(
        "service.order", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="service_order_id.company_id", store=True, index=True)
    template_item_id = fields.Many2one(
        "service.checklist.template.item", index="btree_not_null", ondelete="set null", readonly=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Check", required=True)
    required = fields.Boolean(help="The order cannot be completed while this check is not ticked.")
    is_done = fields.Boolean(string="Done", readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", string="Ticked By", readonly=True, copy=False)
    done_on = fields.Datetime(string="Ticked On", readonly=True, copy=False)

    @api.model
    def _get_protected_fields(self):
        """Who ticked what and when is recorded by action_toggle, never written by hand."""
        return {"is_done", "done_by_id", "done_on"}

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_not_protected({name for vals in vals_list for name, value in vals.items() if value})
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_not_protected(vals.keys())
        return super().write(vals)

    @api.model
    def _check_not_protected(self, field_names):
        protected = self._get_protected_fields() & set(field_names)
        if protected:
            raise AccessError(
                self.env._(
                    "%(fields)s of a checklist item are recorded when the item is ticked.",
                    fields=", ".join(
                        sorted(self._fields[name]._description_string(self.env) for name in protected)
                    ),
                )
            )

    def action_toggle(self):
        """Tick the items, or untick the ticked ones, recording who and when. The people working on
        the order may, even without write access to the items."""
        now = fields.Datetime.now()
        ticked = self.filtered("is_done")
        (self - ticked)._set_done(True, now)
        ticked._set_done(False, now)
        return True

    def _set_done(self, done, at):
        """Tick (``done``) or untick the items, as the current user at ``at``."""
        self.service_order_id._check_job_access()
        if done:
            self.sudo().write({"is_done": True, "done_by_id": self.env.uid, "done_on": at})
        else:
            self.sudo().write({"is_done": False, "done_by_id": False, "done_on": False})
