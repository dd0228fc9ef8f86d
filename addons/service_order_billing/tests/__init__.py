from . import test_billing_cycle
from . import test_billing_scenarios
