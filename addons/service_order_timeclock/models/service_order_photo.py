from odoo import fields, models


class ServiceOrderPhoto(models.Model):
    """A photo taken on the job, added by ``service.order.action_add_photo``."""

    _name = "service.order.photo"
    _description = "Service Order Photo"
    _order = "service_order_id, create_date, id"
    _check_company_auto = True

    service_order_id = fields.Many2one(
        "service.order", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="service_order_id.company_id", store=True, index=True)
    name = fields.Char(required=True)
    image = fields.Image(required=True, max_width=1920, max_height=1920)
    image_512 = fields.Image(string="Thumbnail", related="image", max_width=512, max_height=512, store=True)
    user_id = fields.Many2one(
        "res.users", string="Taken By", default=lambda self: self.env.user, readonly=True
    )
