from . import test_service_order_lifecycle
from . import test_service_order_sla
from . import test_service_order_security
from . import test_service_order_constraints
from . import test_service_order_ui
