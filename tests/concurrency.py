"""Racing on PostgreSQL: threads, each with its own database connection, started at the same instant."""

import threading

from django.db import connection


def run_together(functions):
    """Start every function at the same instant, each in its own thread (and so its own database connection)."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def runner(index, function):
        try:
            barrier.wait(timeout=30)
            results[index] = ("ok", function())
        except Exception as error:  # collected and asserted on by the test
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
