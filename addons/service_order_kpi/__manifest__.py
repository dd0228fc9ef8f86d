{
    "name": "Service Order KPIs",
    "summary": "Utilization, sold vs planned vs worked hours, cost and revenue per hour, margin, SLA met % "
    "and first-time fix, in pivot and graph views and an overview screen",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/service-operations/service-operations",
    "author": "Service Operations",
    "license": "LGPL-3",
    "images": ["static/description/kpi_pivot.png"],
    "development_status": "Alpha",
    "depends": ["service_order_billing", "service_order_planning", "hr_hourly_cost"],
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "data": [
        "security/service_order_kpi_security.xml",
        "security/ir.model.access.csv",
        "security/service_kpi_export_security.xml",
        "data/ir_cron_data.xml",
        "views/service_kpi_report_views.xml",
        "views/service_kpi_overview_views.xml",
        "views/service_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/service_kpi_menus.xml",
        "wizards/service_kpi_export_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "service_order_kpi/static/src/overview/*",
        ],
        "web.assets_tests": [
            "service_order_kpi/static/tests/tours/*.js",
        ],
    },
}
