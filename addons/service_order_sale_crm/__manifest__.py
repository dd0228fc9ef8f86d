{
    "name": "Service Orders: Quotes from Leads",
    "summary": "Carry a service lead's need, site and window over to its quotation; link leads, "
    "quotes and service orders",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/service-operations/service-operations",
    "author": "Service Operations",
    "license": "LGPL-3",
    "images": ["static/description/quote_from_lead.png"],
    "development_status": "Beta",
    "depends": ["service_order_sale", "service_order_crm", "sale_crm"],
    "auto_install": True,
    "data": [
        "views/crm_lead_views.xml",
        "views/sale_order_views.xml",
        "views/service_order_views.xml",
    ],
    "demo": [
        "demo/sale_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "service_order_sale_crm/static/tests/tours/*.js",
        ],
    },
}
