"""The dispatch board shows the field staff only (``hr.employee.service_field_staff``, new in
19.0.1.2.0): the people booked before keep their row."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    booked = env["hr.employee"].browse(
        employee.id
        for [employee] in env["service.assignment"]
        .with_context(active_test=False)
        ._read_group([], ["employee_id"])
    )
    booked.filtered(lambda e: not e.service_field_staff).service_field_staff = True
