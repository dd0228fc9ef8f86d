from . import test_kpi_export
