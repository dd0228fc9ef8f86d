import threading
import time

from psycopg2 import errors

from odoo import api
from odoo.tests import TransactionCase
from odoo.tools import mute_logger


class TwoWorkersCase(TransactionCase):
    """Two requests that reach two workers at the same moment, each in its own transaction and
    cursor, for the invariants that only the database can hold. Fixtures must be committed
    (``committed``) for both workers to see them; clean them up with ``addCleanup``."""

    def committed(self, func):
        """``func(env)`` in a transaction of its own, committed; returns its result."""
        with self.registry.cursor() as cr:
            result = func(api.Environment(cr, api.SUPERUSER_ID, {}))
            cr.commit()  # pylint: disable=invalid-commit
        return result

    @staticmethod
    def _wait_until_blocked(watch_cr, pid):
        """Wait until the backend ``pid`` waits on a lock (at most 10 seconds)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            watch_cr.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,))
            blocked = watch_cr.fetchone()[0] == "Lock"
            watch_cr.rollback()
            if blocked:
                return
            time.sleep(0.05)

    @staticmethod
    def _run(env, func, outcomes, name, before_commit=None):
        """Run ``func(env)`` in ``env``'s own transaction and commit; record the outcome."""
        try:
            func(env)
            env.flush_all()
            if before_commit:
                before_commit()
            env.cr.commit()  # pylint: disable=invalid-commit
            outcomes[name] = "committed"
        except Exception as error:  # the test asserts which error it was
            env.cr.rollback()
            outcomes[name] = error

    def race(self, first, second):
        """``second`` takes its snapshot before ``first`` runs, and ``first`` commits only once
        ``second`` waits on one of its locks. Like Odoo's request handler, ``second`` is run again
        when it fails to serialise. Returns the outcome of each try: ``{"first": "committed" or
        the exception, "second": ..., "retry": ... (only after a serialisation failure)}``."""
        outcomes = {}
        first_done = threading.Event()
        first_cr, second_cr, watch_cr = (self.registry.cursor() for _i in range(3))
        try:
            # The second worker's first statement takes its snapshot, before the first one runs.
            second_cr.execute("SELECT pg_backend_pid()")
            second_pid = second_cr.fetchone()[0]
            # Built here: building an environment takes the registry lock, which the test runner
            # holds in this thread.
            first_env, second_env = (
                api.Environment(cr, api.SUPERUSER_ID, {}) for cr in (first_cr, second_cr)
            )

            def hold_until_second_waits():
                first_done.set()
                self._wait_until_blocked(watch_cr, second_pid)

            def second_worker():
                first_done.wait(timeout=10)
                self._run(second_env, second, outcomes, "second")

            workers = [
                threading.Thread(
                    target=self._run, args=(first_env, first, outcomes, "first", hold_until_second_waits)
                ),
                threading.Thread(target=second_worker),
            ]
            with mute_logger("odoo.sql_db"):
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join(timeout=30)
        finally:
            first_done.set()
            for cr in (first_cr, second_cr, watch_cr):
                cr.close()
        if isinstance(outcomes.get("second"), errors.SerializationFailure):
            with self.registry.cursor() as retry_cr:
                self._run(api.Environment(retry_cr, api.SUPERUSER_ID, {}), second, outcomes, "retry")
        return outcomes
