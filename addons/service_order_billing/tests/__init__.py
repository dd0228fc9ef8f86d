from . import test_billing_cycle
