from . import ir_sequence, resource_calendar, service_order, service_order_tag, service_sla_policy
