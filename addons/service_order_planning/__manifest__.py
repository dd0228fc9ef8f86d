{
    "name": "Service Order Planning",
    "summary": "Assign technicians to service orders without double booking, "
    "check capacity and travel time, and fill free slots from a board",
    "version": "19.0.1.3.0",
    "category": "Services",
    "website": "https://github.com/service-operations/service-operations",
    "author": "Service Operations",
    "license": "LGPL-3",
    "images": ["static/description/dispatch_board.png"],
    "development_status": "Beta",
    "depends": ["service_order", "hr", "hr_skills", "resource"],
    "pre_init_hook": "pre_init_hook",
    "data": [
        "security/service_order_planning_security.xml",
        "security/ir.model.access.csv",
        "views/hr_employee_views.xml",
        "views/product_template_views.xml",
        "views/service_assignment_views.xml",
        "views/service_order_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/service_assignment_planning_wizard_views.xml",
        "views/service_planning_menus.xml",
    ],
    "demo": [
        "demo/service_assignment_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "service_order_planning/static/src/board/*",
        ],
        "web.assets_tests": [
            "service_order_planning/static/tests/tours/*.js",
        ],
    },
}
