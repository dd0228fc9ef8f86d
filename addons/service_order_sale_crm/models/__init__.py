from . import crm_lead, sale_order, service_order
