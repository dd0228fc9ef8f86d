from . import test_kpi_access
from . import test_kpi_capacity
from . import test_kpi_export
from . import test_kpi_figures
from . import test_kpi_orders
