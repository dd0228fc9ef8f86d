from . import test_clock, test_clock_concurrency, test_clock_sync, test_time_records
