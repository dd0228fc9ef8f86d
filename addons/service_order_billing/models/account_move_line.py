from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # Copied by reversals only (with the sale lines): a credit note line knows the order whose
    # hours it gives back, where a duplicated invoice bills no service hours.
    service_order_id = fields.Many2one(
        "service.order",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
        check_company=True,
    )
    service_attendance_ids = fields.One2many(
        "service.attendance", "invoice_line_id", string="Billed Time Records", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines._check_service_order_customer()
            lines._check_service_order_sale_lines()
        return lines

    def _copy_data_extend_business_fields(self, values):
        result = super()._copy_data_extend_business_fields(values)
        values["service_order_id"] = self.service_order_id.id
        return result

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
                    lines=wrong._describe_service_orders(),
                )
            )

    def _check_service_order_sale_lines(self):
        """A line bills the hours of a service order through the order's sale lines (invoiced
        from the sale, or reversed from such a line): linked by hand, an unrelated invoice would
        show on the order, set its payment status and send its service report."""
        forged = self.filtered(
            lambda line: (
                line.service_order_id
                and line.service_order_id not in line.sudo().sale_line_ids.service_order_id
            )
        )
        if forged:
            raise AccessError(
                self.env._(
                    "The service order of an invoice line is set when it is invoiced: %(lines)s.",
                    lines=forged._describe_service_orders(),
                )
            )

    def _describe_service_orders(self):
        return ", ".join(
            self.env._(
                "%(order)s (%(customer)s) on %(invoice)s",
                order=line.service_order_id.sudo().name,
                customer=line.service_order_id.sudo().partner_id.display_name,
                invoice=line.move_id.display_name,
            )
            for line in self
        )
