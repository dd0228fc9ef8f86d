from . import (
    account_move,
    account_move_line,
    account_move_send,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    sale_order_line,
    service_assignment,
    service_attendance,
    service_order,
)
