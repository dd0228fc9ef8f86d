from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Submissions allowed per IP address within the window; both can be tuned with system parameters.
DEFAULT_RATE_LIMIT = 5
DEFAULT_RATE_WINDOW = 60


class ServiceRequestHit(models.Model):
    """Submissions of the public service request form per IP address, counted over a fixed window.

    The rows are the rate limit's memory shared by all workers. Concurrent submissions from one
    address update the same row: PostgreSQL serialises them and Odoo retries the request that lost
    the race, so no two workers can both take the last free slot. Rows are deleted once their
    window is over."""

    _name = "service.request.hit"
    _description = "Service Request Submissions"
    _order = "window_start desc"
    _log_access = False

    ip_address = fields.Char(required=True)
    window_start = fields.Datetime(required=True, index=True)
    hit_count = fields.Integer(required=True, default=1)

    _ip_address_unique = models.UniqueIndex("(ip_address)", "Each address has one submission counter.")

    @api.model
    def _rate_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        limit = int(params.get_param("service_order_crm.request_rate_limit", DEFAULT_RATE_LIMIT))
        window = int(params.get_param("service_order_crm.request_rate_window", DEFAULT_RATE_WINDOW))
        return limit, window

    @api.model
    def _register_hit(self, ip_address):
        """Count a submission from ``ip_address``; return False when it exceeds the rate limit.
        Refused submissions count too, so that an address that keeps hammering stays blocked until
        its window is over."""
        limit, window = self._rate_settings()
        now = fields.Datetime.now()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO service_request_hit AS hit (ip_address, window_start, hit_count)
                VALUES (%(ip)s, %(now)s, 1)
                ON CONFLICT (ip_address) DO UPDATE SET
                    window_start = CASE WHEN hit.window_start < %(since)s
                                        THEN %(now)s ELSE hit.window_start END,
                    hit_count = CASE WHEN hit.window_start < %(since)s
                                     THEN 1 ELSE hit.hit_count + 1 END
                RETURNING hit_count
                """,
                ip=ip_address,
                now=now,
                since=now - timedelta(seconds=window),
            )
        )
        count = self.env.cr.fetchone()[0]
        self.invalidate_model()
        return count <= limit

    @api.autovacuum
    def _gc_old_hits(self):
        _limit, window = self._rate_settings()
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM service_request_hit WHERE window_start < %s",
                fields.Datetime.now() - timedelta(seconds=window),
            )
        )
        self.invalidate_model()
