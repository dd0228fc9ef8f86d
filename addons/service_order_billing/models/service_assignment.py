from odoo import models


class ServiceAssignment(models.Model):
    _inherit = "service.assignment"

    def write(self, vals):
        # The time records of a job belong to its order: moving the job to another order would
        # move billed hours off the order (and the customer) they were invoiced to.
        if "service_order_id" in vals:
            moved = self.filtered(lambda job: job.service_order_id.id != vals["service_order_id"])
            moved.sudo().attendance_ids._check_not_invoiced()
        return super().write(vals)
