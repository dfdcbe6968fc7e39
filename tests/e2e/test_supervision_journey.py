"""The supervision card's closed loop, clicked the way people do it (Playwright driving Debian's Chromium)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.supervision.conftest import png_bytes


@pytest.mark.browser
def test_supervision_card_loop_from_issue_to_close(city, new_page, login):
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    title = "云冈区和顺街道背街小巷垃圾堆放"

    # The supervisor issues a card to 云冈区.
    supervisor = login(new_page(), "supervisor")
    supervisor.goto("/supervision/new/")
    supervisor.get_by_label("标题").fill(title)
    supervisor.get_by_label("来源").select_option(label="督导检查")
    supervisor.get_by_label("督办事项").fill("和顺街道背街小巷垃圾堆放，影响市容。")
    supervisor.get_by_label("整改要求").fill("五日内清理到位并建立日常保洁机制。")
    supervisor.get_by_label("责任单位").select_option(label="云冈区人民政府")
    supervisor.get_by_label("办结时限").fill(deadline)
    supervisor.get_by_role("button", name="下发").click()
    supervisor.wait_for_url("**/supervision/*/")
    card_url = supervisor.url
    number = supervisor.locator("#card-number").inner_text()
    assert number.startswith(f"督办〔{timezone.localdate().year}〕第")

    # The 云冈区 officer finds it in the inbox, signs for it and submits feedback with a photo.
    officer = login(new_page(width=390, height=844), "officer-yungang")
    officer.goto("/supervision/inbox/")
    officer.get_by_role("link", name=title).click()
    officer.get_by_role("button", name="签收", exact=True).click()
    officer.get_by_text("已签收督办卡。").wait_for()
    officer.get_by_label("整改情况").fill("已清理垃圾 3 处，安排专人每日巡查。")
    officer.locator("#id_after_photos").set_input_files(
        files=[{"name": "after.png", "mimeType": "image/png", "buffer": png_bytes((40, 30))}]
    )
    officer.get_by_role("button", name="提交反馈").click()
    officer.get_by_text("整改情况已反馈，等待审核。").wait_for()
    assert officer.locator("#card-timeline img").count() == 1

    # The supervisor returns it for rework.
    supervisor.goto(card_url)
    supervisor.get_by_label("审核结果").select_option(label="退回整改")
    supervisor.get_by_label("审核意见").fill("巷口仍有积存垃圾，请继续整改。")
    supervisor.get_by_role("button", name="提交审核意见").click()
    supervisor.get_by_text("审核意见已提交。").wait_for()

    # The officer rectifies and submits again.
    officer.goto(card_url)
    officer.get_by_label("整改情况").fill("巷口积存垃圾已清运，补充照片。")
    officer.get_by_role("button", name="提交反馈").click()
    officer.get_by_text("整改情况已反馈，等待审核。").wait_for()

    # The supervisor closes it (销号).
    supervisor.goto(card_url)
    supervisor.get_by_label("审核结果").select_option(label="通过，销号")
    supervisor.get_by_label("审核意见").fill("复查合格，同意销号。")
    supervisor.get_by_role("button", name="提交审核意见").click()
    supervisor.get_by_text("审核意见已提交。").wait_for()

    # After issuing, the timeline shows the five moves in order, and the card is closed.
    actions = supervisor.locator("#card-timeline li").evaluate_all("items => items.map(i => i.dataset.action)")
    assert actions == ["issue", "acknowledge", "submit", "return", "submit", "close"]
    assert supervisor.locator("[data-status]").first.inner_text() == "已销号"
    assert "退回整改 1 次" in supervisor.content()


@pytest.mark.browser
def test_headquarters_withdraws_a_card_only_after_confirming_in_chinese(city, new_page, login, card_to_withdraw):
    from supervision.models import SupervisionCard

    hq = login(new_page(), "hq")
    hq.goto(f"/supervision/{card_to_withdraw.pk}/")
    hq.get_by_label("撤销理由").fill("重复下发，已并入另一张督办卡。")
    hq.get_by_label("我已核实：撤销后本督办卡不再办理，编号和办理记录保留。").check()
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    hq.once("dialog", lambda dialog: answer(dialog, False))
    hq.get_by_role("button", name="撤销督办卡").click()
    assert asked == [f"确定撤销督办卡 {card_to_withdraw.number} 吗？撤销后不能恢复。"]
    assert SupervisionCard.objects.get(pk=card_to_withdraw.pk).status == "issued"  # dismissed: nothing sent

    hq.once("dialog", lambda dialog: answer(dialog, True))
    hq.get_by_role("button", name="撤销督办卡").click()
    hq.get_by_text("督办卡已撤销，编号和办理记录保留。").wait_for()
    assert len(asked) == 2
    assert SupervisionCard.objects.get(pk=card_to_withdraw.pk).status == "withdrawn"


@pytest.fixture
def card_to_withdraw(city):
    from campaigns.models import Unit
    from supervision import services
    from supervision.choices import CardSource

    return services.supervision_card_issue(
        actor=city["supervisor"],
        title="误发的督办卡",
        description="重复事项。",
        source=CardSource.INSPECTION,
        assignee_unit=Unit.objects.get(name="云冈区人民政府"),
        deadline=timezone.localdate() + timedelta(days=5),
    )
