{
    "name": "Service Orders: Lead Capture",
    "summary": "Service leads from a public form, phone calls and referrals, qualified on need, site, window",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/service-operations/service-operations",
    "author": "Service Operations",
    "license": "LGPL-3",
    "images": ["static/description/lead_form.png"],
    "development_status": "Beta",
    "depends": ["service_order", "crm"],
    "data": [
        "security/ir.model.access.csv",
        "data/service_request_data.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/service_request_templates.xml",
    ],
    "demo": [
        "demo/crm_lead_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "service_order_crm/static/tests/tours/*.js",
        ],
    },
}
