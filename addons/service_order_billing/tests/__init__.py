from . import test_billing_cycle, test_billing_rules, test_billing_scenarios
from . import test_concurrent_invoicing
from . import test_billing_ui
