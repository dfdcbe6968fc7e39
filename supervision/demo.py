"""The demo's lived-in year of supervision cards (``seed_datong --demo``; registry key ``seed_history``).

About fourteen cards per division over the past year, from every source, walked along the loop as units really do:
signed for within days, feedback around the deadline (each division by its own habit), verified and closed (销号) or
returned for rework, a few extensions asked for and decided, a few withdrawn. The newest cards are still issued,
signed for or waiting for verification; cards past their deadline climb the escalation ladder (reminder, overdue 1,
3 and 7 days) at the moments the calendar would have fired each step, with the card's flag and circular mark.

Written with ``bulk_create``; the history is :class:`campaigns.workflow.BulkHistory` (each move checked against the
card and extension workflows and their actor rules); numbers come from the yearly counter in one block
(:func:`campaigns.numbering.reserve_numbers`). Times are offsets from now, so the mix of states does not depend on
the date. Deterministic (``random.Random(DEMO_SEED)``); safe to run twice (the demo's cards are marked by
``linked_refs``).
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from campaigns.models import Division, Unit, User
from campaigns.numbering import reserve_numbers
from campaigns.workflow import BulkHistory
from supervision.choices import OVERDUE_STEPS, CardAction, CardSource, CardStatus, EscalationStep
from supervision.models import CardEscalation, ExtensionRequest, SupervisionCard, format_card_number
from supervision.services import NUMBER_SERIES
from supervision.workflows import EXTENSION_WORKFLOW, SUPERVISION_CARD_WORKFLOW

DEMO_SEED = 20220815
MARK = "演示数据：年度督办"
CARDS_PER_DIVISION = 14
DAYS = 360

# Each division's habit: (days its feedback comes before (−) or after (+) the deadline, from … to).
HABITS = {
    "平城区": (-10, -2),
    "云冈区": (-9, -1),
    "新荣区": (-6, 2),
    "云州区": (-9, -1),
    "阳高县": (-8, 1),
    "天镇县": (-4, 10),
    "广灵县": (-8, 0),
    "灵丘县": (-10, -2),
    "浑源县": (-7, 1),
    "左云县": (-5, 4),
}
SUBJECTS = [
    ("背街小巷垃圾清运不及时", CardSource.INSPECTION, "三日内清运积存垃圾，建立日产日清台账。"),
    ("沿街商铺占道经营", CardSource.CITIZEN_REPORT, "落实“门前五包”责任，清理店外经营。"),
    ("公益广告破损褪色", CardSource.CIRCULAR, "更换破损公益广告，确保内容规范、画面整洁。"),
    ("小区楼道堆放杂物", CardSource.LEADER_INSTRUCTION, "全面清理楼道杂物，消除消防隐患。"),
    ("非机动车乱停乱放", CardSource.INSPECTION, "施划非机动车停放区，安排专人劝导。"),
    ("农贸市场周边秩序混乱", CardSource.INSPECTION, "规范摊位经营，清理市场周边流动摊贩。"),
    ("主干道路灯不亮", CardSource.OTHER, "修复不亮路灯，排查线路隐患。"),
    ("公共厕所保洁不到位", CardSource.CITIZEN_REPORT, "落实公厕保洁制度，做到无异味、无积水。"),
    ("建筑工地围挡破损", CardSource.INSPECTION, "修复围挡并设置公益广告，落实扬尘治理措施。"),
    ("井盖破损缺失", CardSource.CITIZEN_REPORT, "立即设置警示标志，限期修复更换。"),
]
FEEDBACK = ["已按要求整改完毕，建立长效机制，附整改前后照片。", "已组织专项整治，问题全部整改到位。"]
RETURNS = ["复查仍有反弹，请继续整改。", "整改照片与点位不符，请重新反馈。"]


def _moment(now, days_ago: float, rng, hour_from=8, hour_to=18) -> datetime:
    day = timezone.localtime(now).date() - timedelta(days=int(days_ago))
    return timezone.make_aware(datetime.combine(day, time(rng.randint(hour_from, hour_to - 1), rng.randint(0, 59))))


class _Plan:
    """One card's life in memory: the card, its moves, and the moments it owed feedback (for the ladder)."""

    def __init__(self, card):
        self.card = card
        self.first_submit = None
        self.extension = None


def seed_history(data: dict, log=print) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["hq", "supervisor", "leader"])}
    if len(users) < 3 or SupervisionCard.objects.filter(linked_refs=MARK).exists():
        return
    now = timezone.now()
    today = timezone.localtime(now).date()
    rng = random.Random(DEMO_SEED)
    cards_history = BulkHistory(SUPERVISION_CARD_WORKFLOW)
    extension_history = BulkHistory(EXTENSION_WORKFLOW)
    officers = {u.unit_id: u for u in User.objects.filter(role="officer", unit__kind="government").order_by("-pk")}
    plans = []
    for division in Division.objects.order_by("code"):
        unit = Unit.objects.get(division=division, kind="government")
        officer = officers.get(unit.pk)
        if officer is None:
            continue
        early, late = HABITS.get(division.name, (-4, 5))
        for n in range(CARDS_PER_DIVISION):
            # spread over the year, the newest a few days old, so every state has its cards whatever the date
            ago = int(DAYS * (1 - n / CARDS_PER_DIVISION) ** 1.8) + rng.randint(1, 6)
            subject, source, requirement = SUBJECTS[(n + division.pk) % len(SUBJECTS)]
            issuer = users["supervisor"] if rng.random() < 0.6 else users["hq"]
            issued_at = _moment(now, ago, rng)
            deadline = issued_at.date() + timedelta(days=rng.choice([7, 10, 15, 20, 30]))
            card = SupervisionCard(
                title=f"{division.name}{subject}",
                description=f"{division.name}{subject}，群众反映强烈，影响创城测评。",
                requirement=requirement,
                source=source,
                instruction_leader="张市长" if source == CardSource.LEADER_INSTRUCTION else "",
                instruction_text="请抓紧整改，举一反三。" if source == CardSource.LEADER_INSTRUCTION else "",
                linked_refs=MARK,
                issued_by=issuer,
                issued_at=issued_at,
                assignee_unit=unit,
                division=division,
                responsible_leader=users["leader"],
                deadline=deadline,
                original_deadline=deadline,
            )
            plan = _Plan(card)
            plans.append(plan)
            cards_history.create(card, CardAction.ISSUE, actor=issuer, at=issued_at, note=requirement)
            _walk(plan, cards_history, extension_history, rng, officer=officer, now=now, habit=(early, late))
    years = sorted({p.card.issued_at.year for p in plans})
    for year in years:
        batch = [p.card for p in plans if timezone.localtime(p.card.issued_at).year == year]
        for card, sequence in zip(batch, reserve_numbers(NUMBER_SERIES, year, len(batch)), strict=True):
            card.year, card.sequence, card.number = year, sequence, format_card_number(year, sequence)
    SupervisionCard.objects.bulk_create([p.card for p in plans], batch_size=1000)
    extensions = [p.extension for p in plans if p.extension is not None]
    ExtensionRequest.objects.bulk_create(extensions, batch_size=1000)
    moves = cards_history.save() + extension_history.save()
    escalations = _ladder(plans, now, today)
    CardEscalation.objects.bulk_create(escalations, batch_size=1000)
    SupervisionCard.objects.bulk_update([p.card for p in plans], ["flagged_at", "circular_listed_at"], batch_size=500)
    log(
        f"督办卡历史：新增 {len(plans)} 张，延期申请 {len(extensions)} 个，流转记录 {moves} 条，"
        f"逐级督办 {len(escalations)} 次。"
    )


def _walk(plan, history, extensions, rng, *, officer, now, habit) -> None:
    card = plan.card
    issuer = card.issued_by
    at = card.issued_at + timedelta(hours=rng.randint(2, 60))
    if rng.random() < 0.06 or at > now:
        return  # never signed for
    history.move(card, CardAction.ACKNOWLEDGE, actor=officer, at=at, note="已签收，立即组织整改。")
    if rng.random() < 0.03:
        when = at + timedelta(days=rng.randint(1, 4))
        if when <= now:
            history.move(card, CardAction.WITHDRAW, actor=issuer, at=when, note="与已下发的督办卡重复，予以撤销。")
        return
    if rng.random() < 0.12:
        _extension(plan, extensions, rng, officer=officer, issuer=issuer, after=at, now=now)
    early, late = habit
    submit = datetime.combine(card.deadline, time(rng.randint(9, 17)), tzinfo=at.tzinfo) + timedelta(
        days=rng.randint(early, late)
    )
    submit = max(submit, at + timedelta(hours=6))
    rounds = 0
    while submit <= now:
        history.move(card, CardAction.SUBMIT, actor=officer, at=submit, note=rng.choice(FEEDBACK))
        plan.first_submit = plan.first_submit or submit
        verify = submit + timedelta(hours=rng.randint(2, 30))
        if verify > now - timedelta(days=2):
            return  # waiting for verification: the issuers review the last two days' feedback tomorrow
        recent = verify > now - timedelta(days=10)
        if rounds < 2 and rng.random() < (0.35 if recent else 0.08):
            card.rework_count += 1
            history.move(card, CardAction.RETURN, actor=issuer, at=verify, note=rng.choice(RETURNS))
            submit = verify + timedelta(days=rng.randint(2, 9))
            rounds += 1
            continue
        card.closed_at = verify
        history.move(card, CardAction.CLOSE, actor=issuer, at=verify, note="经复查整改到位，同意销号。")
        return


def _extension(plan, history, rng, *, officer, issuer, after, now) -> None:
    card = plan.card
    requested = min(after + timedelta(days=rng.randint(1, 4)), now)
    extension = ExtensionRequest(
        card=card,
        requested_by=officer,
        requested_at=requested,
        reason="需协调相关部门联合整治，申请延期。",
        old_deadline=card.deadline,
        new_deadline=card.deadline + timedelta(days=rng.choice([7, 10, 15])),
    )
    history.create(extension, "request", actor=officer, at=requested, note=extension.reason)
    plan.extension = extension
    decided = requested + timedelta(hours=rng.randint(4, 48))
    if decided > now:
        return  # pending
    approved = rng.random() < 0.7
    extension.decided_by, extension.decided_at = issuer, decided
    extension.comment = "同意延期，请按新时限完成整改。" if approved else "理由不充分，请按原时限完成。"
    history.move(extension, "approve" if approved else "refuse", actor=issuer, at=decided, note=extension.comment)
    if approved:
        card.deadline = extension.new_deadline
        card.extension_count += 1


def _ladder(plans, now, today) -> list[CardEscalation]:
    """The escalation steps the calendar fired while each card still owed its feedback, at the sweep's time."""
    rows = []
    for plan in plans:
        card = plan.card
        if card.status == CardStatus.WITHDRAWN:
            continue
        owed_until = plan.first_submit or now
        steps = [(EscalationStep.REMINDER, -1), *OVERDUE_STEPS]
        for step, after in steps:
            day = card.deadline + timedelta(days=after)
            fired = timezone.make_aware(datetime.combine(day, time(8, 0)))
            if day > today or fired >= owed_until or fired <= card.issued_at:
                continue
            rows.append(CardEscalation(card=card, step=step, fired_at=fired, deadline=card.deadline))
            if step == EscalationStep.OVERDUE_3:
                card.flagged_at = fired
            elif step == EscalationStep.OVERDUE_7:
                card.circular_listed_at = fired
    return rows
