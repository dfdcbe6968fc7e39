"""The cockpit (驾驶舱) and the command-room screen (大屏), as headquarters and a district officer see them in Chromium:
the ECharts charts draw without a console error, a figure leads to its records, and the screen refreshes itself."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Unit, User
from supervision.choices import CardStatus
from supervision.models import SupervisionCard
from tests.dashboard.test_cockpit import _card


def _watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def _charts_drawn(page, at_least):
    """Every chart box of the page holds an ECharts canvas, and there are at least ``at_least`` of them."""
    page.wait_for_function(
        "n => { const boxes = document.querySelectorAll('[data-chart]');"
        " return boxes.length >= n && [...boxes].every(b => b.querySelector('canvas')); }",
        arg=at_least,
    )


@pytest.mark.browser
def test_cockpit_as_headquarters_and_as_a_district_officer(city, new_page, login, pingcheng):
    hq = login(new_page(), "hq")
    errors = _watch_console(hq)
    hq.goto("/")
    hq.get_by_role("heading", name="创城工作全景 · 驾驶舱").wait_for()
    _charts_drawn(hq, 6)  # four from the apps, the league's, and the plan's actions below
    assert hq.locator("#cockpit-league tbody tr").count() == 10

    # The overdue-cards figure leads to the card list filtered to exactly those cards.
    figure = hq.locator('[data-figure="cards_overdue"]')
    overdue = int(figure.locator("[data-figure-value]").inner_text())
    assert overdue == SupervisionCard.objects.overdue().count()
    figure.click()
    hq.wait_for_url("**/supervision/?*overdue=true*")
    rows = hq.locator("#card-table tbody tr.table-overdue")
    assert rows.count() == min(overdue, 20)
    assert not errors, errors

    officer = login(new_page(), "officer-pingcheng")
    officer_errors = _watch_console(officer)
    officer.goto("/")
    officer.get_by_role("heading", name="平城区 · 创城驾驶舱").wait_for()
    _charts_drawn(officer, 6)
    assert officer.locator("#cockpit-league tbody tr").all_inner_texts()[0].count("平城区") == 1
    assert officer.locator("#cockpit-league tbody tr").count() == 1
    open_cards = int(officer.locator('[data-figure="cards_open"] [data-figure-value]').inner_text())
    assert open_cards == SupervisionCard.objects.open().filter(division=pingcheng).count()
    assert not officer_errors, officer_errors


@pytest.mark.browser
def test_command_room_screen_refreshes_itself_without_a_reload(city, new_page, login, pingcheng):
    screen = login(new_page(width=1920, height=1080), "hq")
    errors = _watch_console(screen)
    screen.goto("/screen/?refresh=1")
    _charts_drawn(screen, 5)  # four from the apps and the league's
    assert screen.locator("nav").count() == 0
    # Dark and large: the figures are read from across the room.
    assert screen.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(11, 19, 32)"
    font_size = screen.evaluate("parseFloat(getComputedStyle(document.querySelector('[data-figure-value]')).fontSize)")
    assert font_size >= 48
    assert screen.evaluate("document.documentElement.scrollHeight") <= 1080  # one screen, no scrolling

    value = screen.locator('[data-figure="cards_open"] [data-figure-value]')
    before = int(value.inner_text())
    screen.evaluate("window.__sameDocument = true")  # gone if the page were reloaded

    # A new card is issued elsewhere; the next refresh shows it without a reload.
    hq = User.objects.get(username="hq")
    unit = Unit.objects.get(name="平城区人民政府")
    now = timezone.now()
    _card(pingcheng, unit, hq, issued=now - timedelta(minutes=1), deadline=timezone.localdate() + timedelta(days=5))
    screen.wait_for_function(
        "n => document.querySelector('[data-figure=\"cards_open\"] [data-figure-value]').textContent === String(n)",
        arg=before + 1,
    )
    assert screen.evaluate("window.__sameDocument") is True
    assert int(screen.evaluate("document.body.dataset.refreshes")) >= 1
    assert SupervisionCard.objects.filter(status=CardStatus.ISSUED).exists()
    assert not errors, errors
