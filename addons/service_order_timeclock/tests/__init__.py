from . import test_clock, test_clock_concurrency, test_clock_sync, test_my_jobs_ui, test_time_records
