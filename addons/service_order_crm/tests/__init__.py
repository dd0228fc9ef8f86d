from . import test_crm_lead, test_service_request, test_service_request_ui
