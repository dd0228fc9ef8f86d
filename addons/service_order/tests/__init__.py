from . import (
    test_service_order_constraints,
    test_service_order_lifecycle,
    test_service_order_security,
    test_service_order_sla,
    test_service_order_trust,
    test_service_order_ui,
    test_translations,
)
