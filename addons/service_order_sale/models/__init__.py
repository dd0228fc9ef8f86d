from . import crm_lead, product_template, sale_order, sale_order_line, service_order
