from odoo import api, models
from odoo.fields import Domain

# The fields of a leave that decide which working time it removes from a calendar.
_PERIOD_FIELDS = {"date_from", "date_to", "calendar_id", "resource_id", "time_type", "company_id"}
# The deadlines, and the stored late flags that compare them with the actual dates.
_SLA_FIELDS = (
    "response_deadline",
    "resolution_deadline",
    "response_risk_date",
    "resolution_risk_date",
    "sla_response_late",
    "sla_resolution_late",
)


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._service_recompute_sla(leaves._service_open_orders())
        return leaves

    def write(self, vals):
        if not _PERIOD_FIELDS & vals.keys():
            return super().write(vals)
        # The orders the leaves touched before the change, and those they touch after it.
        orders = self._service_open_orders()
        result = super().write(vals)
        self._service_recompute_sla(orders | self._service_open_orders())
        return result

    def unlink(self):
        orders = self._service_open_orders()
        result = super().unlink()
        self._service_recompute_sla(orders)
        return result

    def _service_open_orders(self):
        """Open service orders whose SLA clock runs through one of these public holidays or
        closures (leaves without a resource, the only ones the SLA calendar counts), on a
        calendar the leave applies to: its own, or every calendar when it has none. Closed
        orders keep the deadlines they were judged against."""
        public = self.filtered(lambda leave: not leave.resource_id and leave.time_type == "leave")
        if not public:
            return self.env["service.order"]
        periods = []
        for leave in public:
            domain = Domain("date_start", "<", leave.date_to) & Domain(
                "resolution_deadline", ">", leave.date_from
            )
            if leave.calendar_id:
                domain &= Domain("sla_policy_id.resource_calendar_id", "=", leave.calendar_id.id)
            if leave.company_id:
                domain &= Domain("company_id", "=", leave.company_id.id)
            periods.append(domain)
        return (
            self.env["service.order"]
            .sudo()
            .search(Domain("state", "in", ["draft", "scheduled", "in_progress"]) & Domain.OR(periods))
        )

    def _service_recompute_sla(self, orders):
        """Deadlines are recomputed at the next flush, one calendar computation per calendar."""
        for name in _SLA_FIELDS:
            self.env.add_to_compute(orders._fields[name], orders)
