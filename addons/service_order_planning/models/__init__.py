from . import (
    hr_employee,
    product_template,
    res_company,
    res_config_settings,
    service_assignment,
    service_order,
)
