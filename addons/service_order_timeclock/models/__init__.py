from . import (
    res_company,
    res_config_settings,
    service_assignment,
    service_attendance,
    service_attendance_event,
    service_order,
)
