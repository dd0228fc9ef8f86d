{
    "name": "Service Order Time Clock",
    "summary": "Technicians clock travel and work on their assignments; worked hours roll up to the "
    "service order and its SLA",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/service-operations/service-operations",
    "author": "Service Operations",
    "license": "LGPL-3",
    "images": ["static/description/time_records.png"],
    "development_status": "Alpha",
    "depends": ["service_order_planning"],
    "data": [
        "security/service_order_timeclock_security.xml",
        "security/ir.model.access.csv",
        "report/service_report.xml",
        "data/mail_template_data.xml",
        "wizards/service_order_sign_views.xml",
        "views/service_attendance_views.xml",
        "views/service_assignment_views.xml",
        "views/service_checklist_template_views.xml",
        "views/service_order_photo_views.xml",
        "views/service_order_views.xml",
        "views/product_template_views.xml",
        "views/service_timeclock_menus.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/service_checklist_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "service_order_timeclock/static/src/**/*",
        ],
        "web.assets_tests": [
            "service_order_timeclock/static/tests/tours/*.js",
        ],
    },
}
