from . import (
    test_access,
    test_performance,
    test_product,
    test_revision,
    test_service_order_generation,
    test_ui,
)
