{
    "name": "Service Orders",
    "summary": "Service orders with lifecycle, SLA deadlines in working hours and sold/planned/worked hours",
    "version": "19.0.1.1.0",
    "category": "Services",
    "website": "https://github.com/service-operations/service-operations",
    "author": "Service Operations",
    "license": "LGPL-3",
    "images": ["static/description/service_order_form.png"],
    "development_status": "Beta",
    "application": True,
    "depends": ["mail", "hr", "resource", "product", "uom"],
    "data": [
        "security/service_order_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/service_sla_policy_views.xml",
        "views/service_order_tag_views.xml",
        "wizards/service_order_sla_correction_views.xml",
        "views/service_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/service_menus.xml",
    ],
    "demo": [
        "demo/service_order_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "service_order/static/tests/tours/*.js",
        ],
    },
}
