from . import (
    test_checklist,
    test_clock,
    test_clock_concurrency,
    test_clock_sync,
    test_job_media,
    test_job_ui,
    test_my_jobs_ui,
    test_service_report,
    test_time_records,
)
