from . import (
    test_kpi_access,
    test_kpi_capacity,
    test_kpi_export,
    test_kpi_figures,
    test_kpi_orders,
    test_kpi_ui,
)
