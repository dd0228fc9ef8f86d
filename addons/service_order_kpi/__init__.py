from odoo.tools import SQL

from . import controllers, models, wizards


def pre_init_hook(env):
    """The local day of the time records and assignments, filled in SQL: computed by the ORM,
    a database with millions of time records would take long to install."""
    for table, column in (("service_attendance", "check_in"), ("service_assignment", "date_start")):
        env.cr.execute(
            SQL(
                """ALTER TABLE %(table)s ADD COLUMN IF NOT EXISTS kpi_date date;
                   UPDATE %(table)s AS record
                      SET kpi_date = ((record.%(column)s AT TIME ZONE 'UTC')
                                      AT TIME ZONE COALESCE(resource.tz, 'UTC'))::date
                     FROM hr_employee employee
                     JOIN resource_resource resource ON resource.id = employee.resource_id
                    WHERE employee.id = record.employee_id""",
                table=SQL.identifier(table),
                column=SQL.identifier(column),
            )
        )


def post_init_hook(env):
    """The hourly costs known at install are valid since always; the capacity table is filled
    at once rather than at the first run of the scheduled action, so that the report is never
    empty or stale."""
    employees = env["hr.employee"].with_context(active_test=False).search([("resource_id", "!=", False)])
    env["service.kpi.hourly.cost"]._record(employees)
    env["service.kpi.capacity"]._rebuild()
