"""Headquarters sets the campaign up from the portal: a unit, an officer's account and a task; the officer signs in with
the first password and finds the task on the battle map."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Task, Unit, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_headquarters_creates_a_unit_an_officer_and_a_task_and_the_officer_sees_it(city, new_page, login):
    deadline = (timezone.localdate() + timedelta(days=45)).isoformat()
    page = login(new_page(), "hq")

    page.get_by_role("link", name="创城设置").click()
    expect(page.get_by_role("heading", name="创城设置")).to_be_visible()
    page.get_by_role("link", name="单位与单位树").click()
    page.get_by_role("link", name="新建单位").click()
    page.locator("#id_name").fill("平城区新华街街道")
    page.locator("#id_kind").select_option(label="街道/乡镇")
    page.locator("#id_division").select_option(label="平城区")
    page.locator("#id_parent").select_option(label="平城区人民政府")
    page.locator("#id_leader_name").fill("周主任")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已新建单位“平城区新华街街道”")).to_be_visible()

    page.get_by_role("link", name="开通账号").click()
    page.locator("#id_username").fill("officer-xinhua")
    page.locator("#id_password").fill("Xinhua-Street-2026")
    page.locator("#id_display_name").fill("孙新华")
    page.locator("#id_role").select_option(label="区县/单位创城办")
    expect(page.locator("#id_unit")).to_have_value(str(Unit.objects.get(name="平城区新华街街道").pk))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已开通账号 officer-xinhua")).to_be_visible()

    page.goto("/tasks/new/")
    page.locator("#id_title").fill("新华街背街小巷立面整治")
    page.locator("#id_action").select_option(index=1)
    page.locator("#id_lead_unit").select_option(label="平城区新华街街道")
    page.locator("#id_owner").select_option(label="孙新华")
    page.locator("#id_deadline").fill(deadline)
    page.locator("#id_target").fill("12")
    page.locator("#id_measure").fill("条")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="新华街背街小巷立面整治")).to_be_visible()

    officer = User.objects.get(username="officer-xinhua")
    assert (officer.unit.name, officer.is_superuser) == ("平城区新华街街道", False)
    assert Task.objects.get(title="新华街背街小巷立面整治").owner == officer

    phone = login(new_page(width=390, height=844), "officer-xinhua", "Xinhua-Street-2026")
    phone.goto("/tasks/")
    expect(phone.locator("#battle-map")).to_contain_text("新华街背街小巷立面整治")
    phone.get_by_role("link", name="新华街背街小巷立面整治").click()
    expect(phone.get_by_role("heading", name="新华街背街小巷立面整治")).to_be_visible()
