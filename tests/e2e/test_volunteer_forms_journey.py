"""On a phone: the team leader registers a volunteer, adds a stint and confirms it with one tap; a resident rates the
project through its public link without signing in."""

from datetime import date

import pytest
from django.utils import timezone

from volunteers import public_rating
from volunteers.idcard import make_id_number
from volunteers.models import Rating, ServiceProject, ServiceRecord, Volunteer, VolunteerTeam

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_team_leader_registers_adds_and_confirms_on_a_phone(city, new_page, login):
    team = VolunteerTeam.objects.get(name="南关社区志愿服务队")
    project = ServiceProject.objects.get(team=team)
    number = make_id_number(team.division.code, date(1993, 8, 8), 888)
    today = timezone.localdate().isoformat()

    page = new_page(**PHONE)
    login(page, "team-leader")

    # 1. Register a volunteer into the team.
    page.goto("/volunteers/new/")
    page.get_by_label("姓名").fill("冯热心")
    page.get_by_label("身份证号").fill(number)
    page.get_by_label("手机号").fill("13811112222")
    page.get_by_label("服务队").select_option(label=team.name)
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_text("已登记志愿者 冯热心").wait_for()
    volunteer = Volunteer.objects.get(id_number=number)
    assert list(volunteer.teams.all()) == [team]
    assert number not in page.content()  # masked on the page

    # 2. Add a stint from the volunteer's page: the number is filled in.
    page.get_by_role("link", name="登记服务记录").click()
    assert page.get_by_label("志愿者编号").input_value() == volunteer.volunteer_no
    page.get_by_label("服务项目").select_option(label=project.title)
    page.get_by_label("服务日期").fill(today)
    page.get_by_label("开始时间").fill("09:00")
    page.get_by_label("结束时间").fill("11:30")
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_text("待项目组织方确认").wait_for()
    assert ServiceRecord.objects.get(volunteer=volunteer).status == "pending"

    # 3. Confirm it with one tap: the row changes in place, the page is not reloaded.
    page.goto("/volunteers/records/")
    page.evaluate("window.__stayed = true")
    page.get_by_role("button", name=f"确认 冯热心 {today}").click()
    page.get_by_role("status").filter(has_text="已确认 冯热心").wait_for()
    assert page.evaluate("window.__stayed") is True
    assert ServiceRecord.objects.get(volunteer=volunteer).status == "confirmed"

    # 4. The volunteer's page shows the hours.
    page.goto(f"/volunteers/{volunteer.pk}/")
    assert page.locator("#confirmed-hours").inner_text() == "2.5 小时"
    assert page.locator("#certificate-link").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_rates_a_project_through_its_public_link_on_a_phone(city, new_page):
    project = ServiceProject.objects.get(team__name="南关社区志愿服务队")
    link = f"/volunteers/rate/{public_rating.token_for(project)}/"

    page = new_page(**PHONE)  # nobody signs in
    page.goto(link)
    assert page.locator("#rating-project").inner_text() == project.title
    page.get_by_text("基本满意", exact=True).click()
    page.get_by_label("意见建议（选填）").fill("劝导很及时")
    page.get_by_role("button", name="提交评价").click()
    page.locator("#rating-thanks").wait_for()
    assert page.locator("#rating-thanks").inner_text() == "感谢您的评价！"
    rating = Rating.objects.exclude(device="").get(project=project)
    assert (rating.answer, rating.satisfied, rating.comment) == ("fairly", True, "劝导很及时")

    # The same phone again the same day: thanked, not counted twice.
    page.goto(link)
    page.get_by_text("满意", exact=True).click()
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("您今天已经评价过这个项目").wait_for()
    assert Rating.objects.exclude(device="").filter(project=project).count() == 1
