"""Bad input to any write the API offers answers 4xx with a Chinese message — never a 500 — and writes nothing."""

import json

import pytest
from django.apps import apps

from datong_portal.api.urls import router

BAD_BODIES = [
    ("malformed JSON", '{"title": "x",', "application/json"),
    ("JSON that is not an object", "[1, 2, 3]", "application/json"),
    (
        "NUL bytes and wrong types",
        json.dumps({"title": "a\x00b", "deadline": "明天", "unit": "x" * 5000, "division": {"a": 1}, "id_number": 12}),
        "application/json",
    ),
    ("a huge number", json.dumps({"hours": 10**400, "target": "1e999"}), "application/json"),
    ("not JSON at all", "\x00\x01\x02", "application/octet-stream"),
]

LIST_PATHS = sorted(f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry)


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"campaigns", "taskforces", "supervision", "inspections", "volunteers"}
    }


def _has_chinese(body: bytes) -> bool:
    message = json.dumps(json.loads(body), ensure_ascii=False)
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize(("case", "body", "content_type"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_posts_are_refused_in_chinese_and_change_nothing(api_as, hq, path, case, body, content_type):
    before = _row_counts()
    response = api_as(hq).generic("POST", path, body, content_type=content_type)
    assert 400 <= response.status_code < 500, (path, case, response.status_code, response.content[:300])
    assert _has_chinese(response.content), (path, case, response.content[:300])
    assert _row_counts() == before


@pytest.mark.parametrize("path", LIST_PATHS)
def test_bad_query_parameters_are_not_a_500(api_as, hq, path):
    client = api_as(hq)
    for query in (
        "?page=abc",
        "?page=999999",
        "?page_size=-5",
        "?ordering=nonexistent",
        "?division=abc",
        "?search=%00",
        "?status=%00",
        "?deadline_after=notadate",
        "?unit=1e99",
    ):
        response = client.get(path + query)
        assert response.status_code < 500, (path, query, response.status_code)
