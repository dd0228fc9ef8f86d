{
    "name": "Service Order Billing",
    "summary": "Invoice service orders on sold or actual hours, with rounding, minimums, held extra "
    "hours and upsell; payment status on the order",
    "version": "19.0.1.0.1",
    "category": "Services",
    "website": "https://github.com/service-operations/service-operations",
    "author": "Service Operations",
    "license": "LGPL-3",
    "images": ["static/description/invoice_visits.png"],
    "development_status": "Alpha",
    "depends": ["service_order_timeclock", "service_order_sale", "account"],
    "data": [
        "security/ir.model.access.csv",
        "security/service_order_billing_security.xml",
        "wizards/service_order_invoice_wizard_views.xml",
        "views/service_order_views.xml",
        "views/service_attendance_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/billing_demo.xml"],
    "post_init_hook": "post_init_hook",
    "assets": {
        "web.assets_tests": [
            "service_order_billing/static/tests/tours/*.js",
        ],
    },
}
