from . import (
    product_template,
    res_company,
    res_config_settings,
    service_assignment,
    service_attendance,
    service_attendance_event,
    service_checklist_template,
    service_checklist_template_item,
    service_order,
    service_order_checklist_item,
    service_order_photo,
)
