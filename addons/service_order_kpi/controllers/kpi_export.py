import os
import shutil
import tempfile

from werkzeug.wsgi import wrap_file

from odoo import http
from odoo.http import content_disposition, request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ServiceKpiExportController(http.Controller):
    @http.route("/service_order_kpi/export/<int:export_id>", type="http", auth="user", methods=["GET"])
    def service_kpi_export_download(self, export_id):
        """The workbook of an export wizard of the user's, streamed from a temporary file that is
        removed once sent: its bytes never sit in memory at once, whatever the rows."""
        export = request.env["service.kpi.export"].browse(export_id).exists()
        if not export:
            raise request.not_found()
        # A wizard is its creator's only: another user's id is refused here.
        export.check_access("read")
        folder = tempfile.mkdtemp(prefix="service_kpi_export_")
        try:
            path = export._write_workbook(folder)
            file = open(path, "rb")  # noqa: SIM115 - closed when the response is
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise

        def cleanup():
            file.close()
            shutil.rmtree(folder, ignore_errors=True)

        response = request.make_response(
            wrap_file(request.httprequest.environ, file),
            headers=[
                ("Content-Type", XLSX),
                ("Content-Disposition", content_disposition(export._export_filename())),
                ("Content-Length", str(os.path.getsize(path))),
            ],
        )
        response.direct_passthrough = True
        response.call_on_close(cleanup)
        return response
