from . import (
    ir_sequence,
    res_config_settings,
    resource_calendar,
    resource_calendar_leaves,
    service_order,
    service_order_tag,
    service_sla_policy,
    uom_uom,
)
