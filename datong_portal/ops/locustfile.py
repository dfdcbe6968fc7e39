"""The load that ``manage.py benchmark`` puts on the portal, one call per locust run (``locust --headless``).

Not imported by Django: the benchmark starts ``python -m locust -f`` this file with the call in the environment —
``BENCH_PATH`` (a GET, every answer must be 200) or ``BENCH_CONFIRM_IDS`` (a file of pending service-record ids to
confirm, one POST each, every answer must be 200), and ``BENCH_HEADERS`` (JSON: the session cookie or API token).
The clients do not wait between requests: the figures are the server's, at the concurrency locust's ``-u`` gives.
"""

import json
import os

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

HEADERS = json.loads(os.environ.get("BENCH_HEADERS", "{}"))
PATH = os.environ.get("BENCH_PATH", "")
CONFIRM_IDS = []
if os.environ.get("BENCH_CONFIRM_IDS"):
    with open(os.environ["BENCH_CONFIRM_IDS"]) as ids:
        CONFIRM_IDS = [line.strip() for line in ids if line.strip()]
    CONFIRM_IDS.reverse()  # pop() takes them in the file's order


class PortalClient(FastHttpUser):
    wait_time = constant(0)

    @task
    def call(self):
        if CONFIRM_IDS or os.environ.get("BENCH_CONFIRM_IDS"):
            if not CONFIRM_IDS:
                raise StopUser()  # every record of the list is confirmed: this client is done
            record = CONFIRM_IDS.pop()  # one process, gevent: no two clients take the same record
            path, name = f"/api/v1/service-records/{record}/confirm/", "confirm"
            with self.client.post(path, name=name, headers=HEADERS, json={}, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}: {response.text[:200]}")
            return
        with self.client.get(PATH, name=PATH, headers=HEADERS, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
