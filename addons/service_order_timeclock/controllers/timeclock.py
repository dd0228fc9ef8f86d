from odoo import http
from odoo.http import request


class ServiceTimeClockController(http.Controller):
    @http.route("/service/timeclock/sync", type="jsonrpc", auth="user", methods=["POST"])
    def sync(self, events):
        """Replay the clock events a phone queued while offline; see
        ``service.attendance.event.sync_events`` for the format and the answers."""
        return request.env["service.attendance.event"].sync_events(events)
