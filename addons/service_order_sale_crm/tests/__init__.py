from . import test_flow, test_opportunity, test_ui
