from . import (
    res_company,
    service_assignment,
    service_attendance,
    service_attendance_event,
    service_order,
)
