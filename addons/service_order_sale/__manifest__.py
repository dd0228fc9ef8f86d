{
    "name": "Service Orders: Quotes",
    "summary": "Hourly service quotes with scope, SLA and revisions that generate service orders",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/service-operations/service-operations",
    "author": "Service Operations",
    "license": "LGPL-3",
    "images": ["static/description/quote_service_tab.png"],
    "development_status": "Beta",
    "depends": ["service_order", "sale_management"],
    "data": [
        "views/product_template_views.xml",
        "views/sale_order_views.xml",
        "views/service_order_views.xml",
    ],
    "demo": [
        "demo/sale_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "service_order_sale/static/tests/tours/*.js",
        ],
    },
}
