from odoo import SUPERUSER_ID, api
from odoo.addons.service_order_billing.hooks import post_init_hook


def migrate(cr, version):
    """Databases installed before the hook existed: their demo and earlier sales bill too."""
    post_init_hook(api.Environment(cr, SUPERUSER_ID, {}))
