from . import (
    hr_employee,
    hr_version,
    res_company,
    res_config_settings,
    resource_calendar,
    resource_calendar_attendance,
    resource_calendar_leaves,
    service_kpi_capacity,
    service_kpi_hourly_cost,
    service_kpi_report,
    service_order,
)
