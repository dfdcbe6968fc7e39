"""Headquarters and a district officer use the battle map in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.models import ImprovementAction, Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_headquarters_opens_the_battle_map_filters_by_action_and_opens_a_task(city, new_page, login):
    traffic = ImprovementAction.objects.get(no=8)
    parking = Task.objects.get(title="规范设置城区停车泊位")
    other_action_task = Task.objects.exclude(action=traffic).first()

    page = login(new_page(), "hq")
    expect(page.get_by_role("heading", name="创城工作全景")).to_be_visible()
    expect(page.get_by_text("八项提升行动进度")).to_be_visible()

    page.get_by_role("link", name="挂图作战").first.click()
    expect(page.get_by_role("heading", name="挂图作战 · 任务总表")).to_be_visible()
    expect(page.locator("#battle-map")).to_contain_text(other_action_task.title)

    page.get_by_label("提升行动").select_option(str(traffic.pk))
    expect(page.locator("#battle-map")).not_to_contain_text(other_action_task.title)
    expect(page.locator("#battle-map")).to_contain_text(parking.title)
    expect(page).to_have_url(re.compile(rf"action={traffic.pk}"))
    # Progress bars are drawn by the page's script under the strict CSP: the width follows the figure.
    bar = page.locator("#battle-map tr", has_text=parking.title).locator(".progress-bar")
    expect(bar).to_have_attribute("style", re.compile(r"width: 20\.7%"))

    page.get_by_role("link", name=parking.title).click()
    expect(page.get_by_role("heading", name=parking.title)).to_be_visible()
    expect(page.get_by_text("19116 / 3962 个")).to_be_visible()


def test_pingcheng_officer_sees_only_pingchengs_tasks(city, new_page, login, pingcheng):
    own = list(Task.objects.filter(lead_unit__division=pingcheng).values_list("title", flat=True))
    others = list(Task.objects.exclude(lead_unit__division=pingcheng).values_list("title", flat=True))
    assert own and others

    page = login(new_page(width=390, height=844), "officer-pingcheng")  # a phone-width screen
    expect(page.get_by_role("heading", name="平城区人民政府 · 我的创城任务")).to_be_visible()
    page.goto("/tasks/")
    table = page.locator("#battle-map")
    for title in own:
        expect(table).to_contain_text(title)
    text = table.inner_text()
    assert not [title for title in others if title in text]


def test_api_docs_render_from_local_files(city, new_page, login, live_server):
    page = new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, "api-reader")
    page.goto("/api/docs/")
    expect(page.get_by_text("/api/v1/tasks/", exact=True).first).to_be_visible()
    elsewhere = [url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))]
    assert not elsewhere, elsewhere
