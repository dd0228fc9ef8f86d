from . import product_template, sale_order, sale_order_line, service_order
