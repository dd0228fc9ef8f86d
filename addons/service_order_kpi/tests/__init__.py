from . import test_kpi_capacity
from . import test_kpi_figures
