"""The demo's lived-in year for reminder cards and reports (``seed_datong --demo``; registry key ``seed_history``).

Every district and county government holds a reminder card issued a year ago; each holder has a weekly summary per
ISO week and a monthly report per month since their card, in the real mix: most on time and accepted, some late, some
missing (marked as the sweep marks them), some returned — a few of those still waiting to be resubmitted — and the
latest ones waiting for headquarters' review. Each division has its own habit, so the board and the league table
differ between divisions.

Rows are written with ``bulk_create``; their history is :class:`campaigns.workflow.BulkHistory` (each move checked
against ``REPORT_WORKFLOW`` and its actor rule). Deterministic: ``random.Random(DEMO_SEED)`` and today's date decide
everything. Safe to run twice: a report that exists is left as it is.
"""

import random
from datetime import timedelta

from django.utils import timezone

from campaigns.models import Division, User
from campaigns.workflow import BulkHistory
from taskforces import periods, services
from taskforces.choices import ReportKind, ReportStatus
from taskforces.models import ReminderCard, Report, ReportCalendar
from taskforces.workflows import REPORT_WORKFLOW

DEMO_SEED = 20210501
WEEKS = 52
MONTHS = 12
CARD_TITLE = "{division}年度创城重点工作提示"

# Each division's habit: (share submitted on time, share missing); the rest of the slots are late.
HABITS = {
    "平城区": (0.90, 0.03),
    "云冈区": (0.84, 0.05),
    "新荣区": (0.68, 0.14),
    "云州区": (0.80, 0.07),
    "阳高县": (0.74, 0.10),
    "天镇县": (0.60, 0.18),
    "广灵县": (0.77, 0.08),
    "灵丘县": (0.82, 0.06),
    "浑源县": (0.70, 0.12),
    "左云县": (0.64, 0.15),
}
RETURN_SHARE = 0.08  # of the submitted reports, returned for revision once
DONE = ["巡查背街小巷", "清理小广告", "整治占道经营", "开展文明交通劝导", "入户宣传创城知识", "整改测评问题"]
ISSUES = ["部分背街小巷保洁不到位。", "非机动车乱停乱放仍有反弹。", "个别小区楼道堆放杂物。", "农贸市场周边秩序较乱。"]
PLANS = ["继续推进重点点位整治。", "开展问题整改“回头看”。", "组织模拟测评自查自纠。", "加强公益广告氛围营造。"]
RETURN_REASONS = [
    "数据与台账不一致，请核实后重新报送。",
    "缺少整改前后对比照片，请补充。",
    "下步计划过于笼统，请细化到点位。",
]


def _government_cards(hq, now) -> None:
    """A year-long card for every district and county government (issued through the service: it numbers them)."""
    issued = now - timedelta(days=WEEKS * 7 + 10)
    for division in Division.objects.order_by("code"):
        title = CARD_TITLE.format(division=division.name)
        if ReminderCard.objects.filter(title=title).exists():
            continue
        services.reminder_card_issue(
            actor=hq,
            title=title,
            recipient_unit=division.units.get(kind="government"),
            supervision_items=[f"{division.name}创城重点点位整治", "背街小巷和老旧小区环境提升"],
            portfolio=["市容环境", "市场秩序", "文明交通"],
            outstanding_problems=["背街小巷保洁不到位", "占道经营反弹"],
            hidden_risks=["老旧小区消防通道堵塞"],
            now=issued,
        )


def _holders(now) -> list[tuple[int, int | None, object, User]]:
    """(unit id, leader id, the first moment they hold a card, the person who writes) for every holder."""
    first_card: dict[tuple[int, int | None], object] = {}
    for card in ReminderCard.objects.filter(active=True).select_related("recipient_leader").order_by("issued_at"):
        for holder in services.reminder_card_holders([card]):
            first_card.setdefault(holder, card.issued_at)
    officers = {}
    for officer in User.objects.filter(role="officer", is_active=True).order_by("pk"):
        officers.setdefault(officer.unit_id, officer)
    leaders = User.objects.in_bulk([leader for _unit, leader in first_card if leader])
    holders = []
    for (unit_id, leader_id), since in sorted(first_card.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        writer = leaders.get(leader_id) if leader_id else officers.get(unit_id)
        if writer is not None:
            holders.append((unit_id, leader_id, since, writer))
    return holders


def _habit(unit_id, divisions_by_unit) -> tuple[float, float]:
    return HABITS.get(divisions_by_unit.get(unit_id, ""), (0.8, 0.06))


def _walk(report, history, rng, *, writer, hq, now, habit, review=True) -> None:
    """Move one slot along the year it had: submitted (on time or late) or missing, then reviewed."""
    on_time, missing = habit
    due = report.due_at
    roll = rng.random()
    if due > now:  # not yet due: some holders are early
        if roll < on_time * 0.6:
            _submit(report, history, writer, max(now - timedelta(hours=rng.randint(1, 48)), due - timedelta(days=6)))
        return
    if roll < missing:
        report.missing_marked_at = due + timedelta(minutes=10)  # as the calendar's sweep marks it
        return
    late = roll >= missing + on_time
    at = due + timedelta(hours=rng.randint(3, 96)) if late else due - timedelta(hours=rng.randint(2, 70))
    if at > now:
        report.missing_marked_at = due + timedelta(minutes=10)  # late, and still not in
        return
    _submit(report, history, writer, at)
    reviewed = at + timedelta(hours=rng.randint(20, 80))
    if reviewed > now or not review:
        return  # waiting for headquarters' review
    if rng.random() < RETURN_SHARE:
        history.move(report, "return", actor=hq, at=reviewed, note=rng.choice(RETURN_REASONS))
        again = reviewed + timedelta(hours=rng.randint(24, 120))
        if again > now:
            return  # returned, not yet resubmitted
        _submit(report, history, writer, again)
        reviewed = again + timedelta(hours=rng.randint(20, 80))
        if reviewed > now:
            return
    history.move(report, "accept", actor=hq, at=reviewed)


def _submit(report, history, writer, at) -> None:
    report.is_late = at > report.due_at
    report.submitted_at = at
    report.submitted_by = writer
    history.move(report, "submit", actor=writer, at=at, note="迟报" if report.is_late else "")


def _texts(report, rng) -> None:
    things = rng.sample(DONE, 3)
    report.summary = (
        f"{report.period}期间{things[0]} {rng.randint(5, 40)} 次，{things[1]} {rng.randint(10, 200)} 处，"
        f"{things[2]} {rng.randint(2, 30)} 起。"
    )
    report.problems = rng.choice(ISSUES)
    report.next_plan = rng.choice(PLANS)


def seed_history(data: dict, log=print) -> None:
    hq = User.objects.filter(username="hq").first()
    if hq is None or ReminderCard.objects.filter(title=CARD_TITLE.format(division="平城区")).exists():
        return  # no demo accounts, or the year is written already
    now = timezone.now()
    rng = random.Random(DEMO_SEED)
    _government_cards(hq, now)
    calendar = ReportCalendar.current()
    divisions_by_unit = dict(Division.objects.filter(units__kind="government").values_list("units__pk", "name"))
    existing = {
        (r.unit_id, r.leader_id, r.kind, r.period): r
        for r in Report.objects.filter(status=ReportStatus.EXPECTED).only("unit_id", "leader_id", "kind", "period")
    }
    taken = set(Report.objects.values_list("unit_id", "leader_id", "kind", "period"))
    history = BulkHistory(REPORT_WORKFLOW)
    new, walked_existing = [], []
    for unit_id, leader_id, since, writer in _holders(now):
        habit = _habit(unit_id, divisions_by_unit)
        for kind, count in ((ReportKind.WEEKLY, WEEKS), (ReportKind.MONTHLY, MONTHS)):
            labels = periods.recent_periods(kind, now, count)
            for period in reversed(labels):
                if periods.period_end(kind, period) <= since:
                    continue
                key = (unit_id, leader_id, kind, period)
                report = existing.get(key)
                if report is None and key in taken:
                    continue  # already moved by someone: leave it as it is
                if report is None:
                    report = Report(
                        unit_id=unit_id,
                        leader_id=leader_id,
                        kind=kind,
                        period=period,
                        due_at=periods.due_at(kind, period, calendar),
                    )
                    new.append(report)
                else:
                    walked_existing.append(report)
                _texts(report, rng)
                # headquarters has not yet reviewed the latest round: the board's work for today
                _walk(report, history, rng, writer=writer, hq=hq, now=now, habit=habit, review=period != labels[0])
    Report.objects.bulk_create(new, batch_size=2000)
    Report.objects.bulk_update(
        walked_existing,
        ["status", "summary", "problems", "next_plan", "submitted_at", "submitted_by", "is_late", "missing_marked_at"],
        batch_size=500,
    )
    moves = history.save()
    services.reports_open(now=now)
    log(f"周报月报历史：新增 {len(new)} 份，补全 {len(walked_existing)} 份，流转记录 {moves} 条。")
