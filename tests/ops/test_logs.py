"""Production logs: one JSON line per request with a request id, the same id on the Celery tasks the request sends,
and never an ID-card or mobile number."""

import io
import json
import logging
import time

import pytest
import structlog

from datong_portal.ops.logs import logging_config, mask_text

ID_NUMBER = "11010119900307451X"
MOBILE = "13812345678"


@pytest.fixture
def json_lines():
    """Everything logged during the test, rendered as production renders it; call it for the parsed lines."""
    stream = io.StringIO()
    config = logging_config(json=True)
    formatter_config = dict(config["formatters"]["structured"])
    formatter = formatter_config.pop("()")(**formatter_config)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.mark.django_db
def test_one_json_line_per_request_with_its_request_id(client_as, hq, json_lines):
    response = client_as(hq).get(f"/tasks/?q={ID_NUMBER}")
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 8
    lines = [line for line in json_lines() if line["event"] == "request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == request_id and line["path"] == "/tasks/" and line["status"] == 200
    assert line["view"] == "task-list" and line["user_id"] == hq.pk and line["duration_ms"] >= 0


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_a_forged_one_replaced(client, json_lines):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="nginx-5f2b9c1e7a")["X-Request-ID"] == "nginx-5f2b9c1e7a"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='"}, "admin": true')["X-Request-ID"]
    assert forged != '"}, "admin": true' and len(forged) == 32


@pytest.mark.django_db
def test_id_numbers_and_phones_never_reach_the_log(client, json_lines):
    logging.getLogger("volunteers").warning("导入失败：%s %s", ID_NUMBER, MOBILE)
    structlog.get_logger("volunteers").info("volunteer", id_number=ID_NUMBER, phone=f"+86 {MOBILE}")
    client.get(f"/no-such-page/{ID_NUMBER}/")  # Django logs "Not Found: <path>"
    text = json.dumps(json_lines(), ensure_ascii=False)
    assert ID_NUMBER not in text and MOBILE not in text and ID_NUMBER[:-1] not in text
    assert text.count("[已隐去]") >= 5


def test_masking_leaves_other_numbers_alone():
    assert (
        mask_text("督办卡 DB-2022-0042，共 15 处，耗时 1234567 毫秒")
        == "督办卡 DB-2022-0042，共 15 处，耗时 1234567 毫秒"
    )
    assert mask_text(f"电话{MOBILE}，身份证{ID_NUMBER.lower()}") == "电话[已隐去]，身份证[已隐去]"


@pytest.mark.django_db
def test_a_task_sent_during_a_request_carries_its_request_id_in_the_headers():
    from celery.signals import before_task_publish

    headers = {}
    with structlog.contextvars.bound_contextvars(request_id="req-0123456789"):
        before_task_publish.send(sender="campaigns.tasks.run_sweep", body=(), headers=headers)
    assert headers["request_id"] == "req-0123456789"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_the_task_with_the_request_id_that_sent_it(celery_worker_process):
    from campaigns.tasks import run_sweep

    with structlog.contextvars.bound_contextvars(request_id="req-worker-0123456789"):
        run_sweep.apply_async(args=["reports_mark_missing"])
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline and celery_worker_process.poll() is None:
        lines = [
            json.loads(line) for line in celery_worker_process.log_path.read_text().splitlines() if line.startswith("{")
        ]
        if any("succeeded" in line["event"] for line in lines):
            break
        time.sleep(1)
    tagged = [line for line in lines if line.get("request_id") == "req-worker-0123456789"]
    assert tagged, celery_worker_process.log_path.read_text()[-3000:]
    assert all(line["task"] == "campaigns.tasks.run_sweep" for line in tagged)
