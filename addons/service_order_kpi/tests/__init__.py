from . import test_kpi_capacity
