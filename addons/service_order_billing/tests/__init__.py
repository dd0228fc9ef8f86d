from . import (
    test_billing_cycle,
    test_billing_hardening,
    test_billing_rules,
    test_billing_scenarios,
    test_billing_ui,
    test_concurrent_invoicing,
    test_required_skills,
)
