from . import test_billing_cycle, test_billing_scenarios
