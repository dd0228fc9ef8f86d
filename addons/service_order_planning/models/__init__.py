from . import hr_employee, res_company, res_config_settings, service_assignment, service_order
