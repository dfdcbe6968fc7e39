"""Demo supervision cards for 平城区 and 云冈区 in every state, some overdue. Safe to run twice (titles decide)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from campaigns.models import Unit, User
from supervision import services
from supervision.choices import CardSource
from supervision.models import SupervisionCard


def seed_reference(data: dict, log=print) -> None:
    """Nothing to load: card numbers start at 1 each year."""


# (division, title, source, issued days ago, deadline offset from today, moves, requirement)
# moves: a list of (days from today, action) — action in acknowledge, submit, close, return, extension
DEMO_CARDS = [
    (
        "平城区",
        "南关街道背街小巷垃圾清运不及时",
        CardSource.INSPECTION,
        20,
        -6,
        [(-19, "acknowledge")],
        "三日内清运积存垃圾，建立日产日清台账，整改后附前后对比照片反馈。",
    ),
    (
        "平城区",
        "迎宾街沿街商铺占道经营整治",
        CardSource.CITIZEN_REPORT,
        3,
        5,
        [],
        "落实“门前五包”责任，清理店外经营，建立长效巡查机制。",
    ),
    (
        "平城区",
        "古城街区破损公益广告更换",
        CardSource.CIRCULAR,
        25,
        -10,
        [(-24, "acknowledge"), (-13, "submit"), (-12, "close")],
        "更换破损公益广告，确保内容规范、画面整洁。",
    ),
    (
        "云冈区",
        "新平旺社区楼道堆放杂物清理",
        CardSource.LEADER_INSTRUCTION,
        15,
        -2,
        [(-14, "acknowledge"), (-1, "submit")],
        "按照市领导批示要求，全面清理楼道杂物，消除消防隐患。",
    ),
    (
        "云冈区",
        "和顺街道非机动车乱停乱放",
        CardSource.INSPECTION,
        18,
        3,
        [(-17, "acknowledge"), (-9, "submit"), (-8, "return")],
        "施划非机动车停放区，安排专人劝导，整改后反馈。",
    ),
    (
        "云冈区",
        "和顺社区公共厕所保洁不到位",
        CardSource.INSPECTION,
        30,
        -12,
        [(-29, "acknowledge"), (-9, "submit"), (-8, "close")],
        "落实公厕保洁制度，做到无异味、无积水、无污垢。",
    ),
    (
        "云冈区",
        "主干道路灯不亮修复",
        CardSource.OTHER,
        12,
        -8,
        [(-7, "extension")],
        "修复不亮路灯，排查线路隐患。",
    ),
    (
        "平城区",
        "迎宾街占道经营整治（重复下发）",
        CardSource.OTHER,
        4,
        6,
        [(-3, "withdraw")],
        "同“迎宾街沿街商铺占道经营整治”。",
    ),
]


def _at(day_offset: int, hour=9) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed_demo(data: dict, log=print) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["hq", "supervisor", "leader"])}
    if len(users) < 3:
        return
    created = 0
    for index, (division_name, title, source, issued_ago, deadline_offset, moves, requirement) in enumerate(DEMO_CARDS):
        if SupervisionCard.objects.filter(title=title).exists():
            continue
        unit = Unit.objects.get(name=f"{division_name}人民政府")
        officer = User.objects.get(username=f"officer-{unit.division.pinyin.lower()}")
        issuer = users["supervisor"] if index % 2 == 0 else users["hq"]
        card = services.supervision_card_issue(
            actor=issuer,
            title=title,
            description=f"{division_name}{title}问题，群众反映强烈，影响创城测评。",
            source=source,
            instruction_leader="张市长" if source == CardSource.LEADER_INSTRUCTION else "",
            instruction_text="请云冈区抓紧整改，举一反三。" if source == CardSource.LEADER_INSTRUCTION else "",
            requirement=requirement,
            assignee_unit=unit,
            deadline=timezone.localdate() + timedelta(days=deadline_offset),
            responsible_leader=users["leader"],
            now=_at(-issued_ago),
        )
        for day, action in moves:
            now = _at(day, 10)
            if action == "acknowledge":
                services.supervision_card_acknowledge(actor=officer, card=card, note="已签收，立即组织整改。", now=now)
            elif action == "submit":
                services.supervision_card_submit(
                    actor=officer, card=card, feedback="已按要求整改完毕，建立长效机制。", now=now
                )
            elif action == "close":
                services.supervision_card_verify(
                    actor=issuer, card=card, approved=True, comment="经复查整改到位，同意销号。", now=now
                )
            elif action == "return":
                services.supervision_card_verify(
                    actor=issuer, card=card, approved=False, comment="复查仍有反弹，请继续整改。", now=now
                )
            elif action == "withdraw":
                services.supervision_card_withdraw(
                    actor=issuer, card=card, reason="与已下发的督办卡重复，予以撤销。", now=now
                )
            elif action == "extension":
                services.extension_request(
                    actor=officer,
                    card=card,
                    reason="需协调供电部门更换线路，申请延期。",
                    new_deadline=timezone.localdate() + timedelta(days=10),
                    now=now,
                )
        created += 1
    log(f"督办卡演示数据：新增 {created} 张（共 {SupervisionCard.objects.count()} 张）。")
