from . import service_order_sla_correction
