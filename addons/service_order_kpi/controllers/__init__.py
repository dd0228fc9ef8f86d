from . import kpi_export
