from . import service_order_sign
