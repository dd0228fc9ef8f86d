from . import service_order_invoice_wizard
