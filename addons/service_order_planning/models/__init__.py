from . import res_company
from . import res_config_settings
from . import service_assignment
from . import service_order
