from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Copied by reversals: a credit note line knows the order whose hours it gives back.
    service_order_id = fields.Many2one(
        "service.order", index="btree_not_null", readonly=True, ondelete="restrict", check_company=True
    )
    service_attendance_ids = fields.One2many(
        "service.attendance", "invoice_line_id", string="Billed Time Records", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines._check_service_order_customer()
        return lines

    def write(self, vals):
        # Set when the invoice is made from the service order; linking another order by hand would
        # send that order's service report with this invoice.
        if "service_order_id" in vals and not self.env.su:
            raise AccessError(self.env._("The service order of an invoice line is set when it is invoiced."))
        return super().write(vals)

    def _check_service_order_customer(self):
        """A line bills a service order of the invoice's customer only (or of whom its sale is
        invoiced to): the order's service report goes out with the invoice."""
        wrong = self.filtered(
            lambda line: (
                line.service_order_id
                and line.move_id.commercial_partner_id not in line.service_order_id.sudo()._billing_partners()
            )
        )
        if wrong:
            raise UserError(
                self.env._(
                    "These invoice lines bill service orders of another customer: %(lines)s.",
                    lines=", ".join(
                        self.env._(
                            "%(order)s (%(customer)s) on %(invoice)s",
                            order=line.service_order_id.sudo().name,
                            customer=line.service_order_id.sudo().partner_id.display_name,
                            invoice=line.move_id.display_name,
                        )
                        for line in wrong
                    ),
                )
            )
