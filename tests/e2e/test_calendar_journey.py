"""Headquarters issues a reminder card to 平城区; the officer submits the weekly summary; headquarters returns it with a
reason; the officer revises and resubmits; headquarters accepts; the history shows every step."""

import re

import pytest
from django.utils import timezone

from taskforces import periods
from taskforces.choices import ReportKind


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_card_to_accepted_weekly_summary(city, new_page, login):
    week = periods.running_period(ReportKind.WEEKLY, timezone.now())

    # Headquarters issues the card with its structured guidance.
    office = login(new_page(), "hq")
    office.goto("/reminder-cards/new/")
    office.get_by_label("标题").fill("平城区古城街区整治提示")
    office.get_by_label("责任单位").select_option(label="平城区人民政府")
    office.get_by_label("领衔督办事项").fill("古城街区环境秩序\n背街小巷卫生")
    office.get_by_label("具体点位").fill("鼓楼东街")
    office.get_by_label("问题隐患").fill("井盖破损")
    office.get_by_role("button", name="签发").click()
    office.wait_for_url(re.compile(r"/reminder-cards/\d+/$"))
    assert office.get_by_role("heading", name="平城区古城街区整治提示").is_visible()

    # The officer sees the card on the home page and submits this week's summary.
    officer = login(new_page(width=420, height=900), "officer-pingcheng")
    officer.goto("/")
    assert officer.get_by_role("link", name=re.compile("提示卡〔")).first.is_visible()
    assert officer.locator("#my-reminder-cards").get_by_text("平城区古城街区整治提示").is_visible()
    officer.get_by_role("link", name=f"{week} 周一总结").click()
    officer.get_by_label("工作完成情况").fill("完成鼓楼东街整治，清理杂物 30 处。")
    officer.get_by_role("button", name="报送", exact=True).click()
    assert officer.locator("#report-status").get_by_text("已报送").is_visible()
    report_url = officer.url

    # Headquarters finds it on the board and returns it with a reason.
    office.goto("/reports/board/")
    row = office.locator("#report-board tbody tr", has_text="平城区人民政府")
    row.locator("td").first.get_by_role("link").click()
    assert office.url == report_url
    office.get_by_label("退回理由").fill("请补充点位整改前后照片数量")
    office.get_by_role("button", name="退回修改").click()
    assert office.locator("#report-status").get_by_text("已退回").is_visible()

    # The officer revises and resubmits.
    officer.goto(report_url)
    assert officer.get_by_text("请补充点位整改前后照片数量").is_visible()
    officer.get_by_label("工作完成情况").fill("完成鼓楼东街整治，清理杂物 30 处，整改前后照片 60 张。")
    officer.get_by_role("button", name="重新报送").click()
    assert officer.locator("#report-status").get_by_text("已报送").is_visible()

    # Headquarters accepts; the history shows each step.
    office.goto(report_url)
    office.get_by_role("button", name="通过").click()
    assert office.locator("#report-status").get_by_text("已通过").is_visible()
    history = office.locator("#report-history li")
    assert history.count() == 4
    steps = [history.nth(i).locator(".fw-semibold").inner_text() for i in range(4)]
    assert steps == ["待报送 → 已报送", "已报送 → 已退回", "已退回 → 已报送", "已报送 → 已通过"]
    assert "请补充点位整改前后照片数量" in history.nth(1).inner_text()
    assert "平城区创城办" in history.nth(0).inner_text() and "王指挥部" in history.nth(3).inner_text()
