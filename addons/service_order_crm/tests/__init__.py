from . import test_crm_lead, test_res_config_settings, test_service_request, test_service_request_ui
