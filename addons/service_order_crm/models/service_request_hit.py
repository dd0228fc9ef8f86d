from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Submissions allowed per IP address within the window; both can be tuned with system parameters.
DEFAULT_RATE_LIMIT = 5
DEFAULT_RATE_WINDOW = 60


class ServiceRequestHit(models.Model):
    """One submission of the public service request form. The rows are the shared memory of the
    rate limit: every worker sees them, and they are deleted once older than the window."""

    _name = "service.request.hit"
    _description = "Service Request Submission"
    _order = "id desc"
    _log_access = False

    ip_address = fields.Char(required=True, index=True)
    hit_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _rate_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        limit = int(params.get_param("service_order_crm.request_rate_limit", DEFAULT_RATE_LIMIT))
        window = int(params.get_param("service_order_crm.request_rate_window", DEFAULT_RATE_WINDOW))
        return limit, window

    @api.model
    def _register_hit(self, ip_address):
        """Record a submission from ``ip_address``; return False when it exceeds the rate limit.

        A transaction-level advisory lock per address serialises concurrent submissions from the
        same address across workers, so two of them cannot both pass the last free slot."""
        limit, window = self._rate_settings()
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", f"service_request:{ip_address}"))
        since = fields.Datetime.now() - timedelta(seconds=window)
        self.env.cr.execute(
            SQL(
                "DELETE FROM service_request_hit WHERE ip_address = %s AND hit_at < %s",
                ip_address,
                since,
            )
        )
        recent = self.sudo().search_count([("ip_address", "=", ip_address), ("hit_at", ">=", since)])
        if recent >= limit:
            return False
        self.sudo().create({"ip_address": ip_address})
        return True

    @api.autovacuum
    def _gc_old_hits(self):
        _limit, window = self._rate_settings()
        self.env.cr.execute(
            SQL(
                "DELETE FROM service_request_hit WHERE hit_at < %s",
                fields.Datetime.now() - timedelta(seconds=window),
            )
        )
