"""The demo's lived-in year of visits and problems (``seed_datong --demo``; registry key ``seed_history``).

Every demo point is visited about every three weeks over the past year; each visit has its result per standard (as
``inspection_record`` stores them, with the standard's snapshot) and its score rate. A failed standard opens a problem
— or adds a finding to the point × standard's open one, or reopens as a recurrence (反弹) after a recent closure —
and each problem runs the closed loop by its division's habit: dispatched, rectified around the deadline, re-checked
by someone else and closed (销号) or sent back for rework. The newest are still open, dispatched (some overdue) or
waiting for their re-check.

Written with ``bulk_create``; the history is :class:`campaigns.workflow.BulkHistory` (each move checked against
``PROBLEM_WORKFLOW`` and its actor rules — the re-check by someone other than the rectifier). Times are offsets from
now. Deterministic (``random.Random(DEMO_SEED)``); safe to run twice (the visits carry a ``client_key``).
"""

import random
from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from campaigns.models import User
from campaigns.workflow import BulkHistory
from inspections.choices import RECURRENCE_DAYS, Outcome, ProblemAction, ProblemStatus
from inspections.models import Inspection, InspectionResult, Point, Problem, SeverityDeadline, Standard
from inspections.services import score_rate
from inspections.workflows import PROBLEM_WORKFLOW

DEMO_SEED = 20220901
KEY = "demo-history-"
DAYS = 364
EVERY = 21  # days between two visits of a point, about

# Each division's habit: (share of standards failed at a visit, rectification days before (−)/after (+) the deadline)
HABITS = {
    "平城区": (0.06, (-5, -1)),
    "云冈区": (0.08, (-4, 0)),
    "新荣区": (0.15, (-3, 2)),
    "云州区": (0.10, (-4, 0)),
    "阳高县": (0.12, (-3, 1)),
    "天镇县": (0.18, (-2, 6)),
    "广灵县": (0.10, (-4, 0)),
    "灵丘县": (0.08, (-5, -1)),
    "浑源县": (0.13, (-3, 1)),
    "左云县": (0.16, (-2, 3)),
}
FEEDBACK = ["已组织人员清理整改，附整改后照片。", "已落实责任人，整改到位并建立台账。", "已完成维修更换。"]
RETURNS = ["复核发现仍未整改到位，请重新整改。", "整改照片不清晰，无法确认，请补充整改。"]


def _at(day, rng, start=8, end=18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(start, end - 1), rng.randint(0, 59))))


def seed_history(data: dict, log=print) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["hq", "supervisor"])}
    if len(users) < 2 or Inspection.objects.filter(client_key__startswith=KEY).exists():
        return
    hq, supervisor = users["hq"], users["supervisor"]
    officers = {u.unit.division_id: u for u in User.objects.filter(role="officer", unit__kind="government")}
    now = timezone.now()
    today = timezone.localtime(now).date()
    rng = random.Random(DEMO_SEED)
    deadlines = dict(SeverityDeadline.objects.values_list("severity", "days"))
    standards = defaultdict(list)
    for standard in Standard.objects.filter(is_active=True).order_by("category_id", "position"):
        standards[standard.category_id].append(standard)
    # point × standard pairs the demo set already holds an open problem for: history leaves them to it
    blocked = set(Problem.objects.exclude(status=ProblemStatus.CLOSED).values_list("point_id", "standard_id"))
    history = BulkHistory(PROBLEM_WORKFLOW)
    visits, results, problems = [], [], []
    points = list(Point.objects.filter(code__startswith="DT-", is_active=True).select_related("division"))
    last_visit = {}
    for point in sorted(points, key=lambda p: p.code):
        fail_share, habit = HABITS.get(point.division.name, (0.1, (-2, 4)))
        officer = officers.get(point.division_id)
        latest: dict[int, Problem] = {}  # standard id → the newest problem of this point × standard
        day = today - timedelta(days=DAYS - rng.randint(0, EVERY))
        while day < today - timedelta(days=1):
            inspected_at = _at(day, rng)
            visit = Inspection(
                point=point,
                division_id=point.division_id,
                inspector=supervisor,
                inspected_at=inspected_at,
                client_key=f"{KEY}{point.code}-{day:%Y%m%d}",
            )
            passed = applicable = Decimal("0")
            for standard in standards[point.category_id]:
                roll = rng.random()
                outcome = (
                    Outcome.NOT_APPLICABLE
                    if roll < 0.04
                    else Outcome.FAILED
                    if roll < 0.04 + fail_share
                    else Outcome.PASSED
                )
                if outcome == Outcome.FAILED and ((point.pk, standard.pk) in blocked or officer is None):
                    outcome = Outcome.PASSED
                result = InspectionResult(
                    inspection=visit,
                    standard=standard,
                    outcome=outcome,
                    standard_code=standard.code,
                    standard_text=standard.text,
                    aspect=standard.aspect,
                    weight=standard.weight,
                )
                if outcome != Outcome.NOT_APPLICABLE:
                    applicable += standard.weight
                if outcome == Outcome.PASSED:
                    passed += standard.weight
                if outcome == Outcome.FAILED:
                    result.problem = _found(
                        point,
                        standard,
                        latest,
                        problems,
                        history,
                        rng,
                        at=inspected_at,
                        supervisor=supervisor,
                        hq=hq,
                        officer=officer,
                        days=deadlines.get(standard.severity, 7),
                        habit=habit,
                        now=now,
                    )
                    result.note = "现场发现问题，已拍照取证。"
                results.append(result)
            visit.weighted_passed, visit.weighted_applicable = passed, applicable
            visit.score_rate = score_rate(passed, applicable)
            visits.append(visit)
            last_visit[point.pk] = inspected_at
            day += timedelta(days=EVERY + rng.randint(-5, 5))
    Inspection.objects.bulk_create(visits, batch_size=1000)
    recurrences = {id(p): p.recurrence_of for p in problems}
    for problem in problems:  # a recurrence points at a problem of the same batch: linked once both are saved
        problem.recurrence_of = None
    Problem.objects.bulk_create(problems, batch_size=1000)
    for problem in problems:
        problem.recurrence_of = recurrences[id(problem)]
    Problem.objects.bulk_update([p for p in problems if p.recurrence_of], ["recurrence_of"], batch_size=500)
    for result in results:  # the visit and the problem were saved after the result was made
        result.inspection_id = result.inspection.pk
        result.problem_id = result.problem.pk if result.problem is not None else None
    InspectionResult.objects.bulk_create(results, batch_size=2000)
    moves = history.save()
    for point in points:
        if point.pk in last_visit and (
            point.last_inspected_at is None or point.last_inspected_at < last_visit[point.pk]
        ):
            point.last_inspected_at = last_visit[point.pk]
    Point.objects.bulk_update(points, ["last_inspected_at"], batch_size=500)
    log(f"点位测评历史：{len(visits)} 次测评，{len(problems)} 个问题，流转记录 {moves} 条。")


def _found(
    point, standard, latest, problems, history, rng, *, at, supervisor, hq, officer, days, habit, now
) -> Problem:
    """The open problem of this point × standard as of ``at`` with one more finding, or a new one walked along."""
    previous = latest.get(standard.pk)
    if previous is not None and (previous.closed_at is None or previous.closed_at > at):
        previous.occurrences += 1
        previous.last_found_at = at
        return previous
    recurrence = previous is not None and previous.closed_at >= at - timedelta(days=RECURRENCE_DAYS)
    problem = Problem(
        point=point,
        standard=standard,
        division_id=point.division_id,
        responsible_unit_id=point.responsible_unit_id,
        description=standard.text,
        severity=standard.severity,
        found_by=supervisor,
        found_at=at,
        last_found_at=at,
        is_recurrence=recurrence,
        recurrence_of=previous if recurrence else None,
    )
    history.create(problem, ProblemAction.FIND, actor=supervisor, at=at, note=standard.text)
    _loop(problem, history, rng, supervisor=supervisor, hq=hq, officer=officer, days=days, habit=habit, now=now)
    latest[standard.pk] = problem
    problems.append(problem)
    return problem


def _loop(problem, history, rng, *, supervisor, hq, officer, days, habit, now) -> None:
    found = problem.found_at
    if rng.random() < 0.25 and found > now - timedelta(days=14):
        return  # still waiting to be dispatched
    dispatched = found + timedelta(hours=rng.randint(1, 8))
    if dispatched > now:
        return
    problem.deadline = timezone.localtime(found).date() + timedelta(days=days)
    problem.dispatched_at = dispatched
    history.move(
        problem,
        ProblemAction.DISPATCH,
        actor=supervisor,
        at=dispatched,
        note=f"派发至责任单位，限 {problem.deadline:%Y-%m-%d} 前整改。",
    )
    early, late = habit
    rectified = _at(problem.deadline + timedelta(days=rng.randint(early, late) - 1), rng)
    rectified = max(rectified, dispatched + timedelta(hours=4))
    for _round in range(3):
        if rectified > now:
            return  # dispatched, waiting for the unit (overdue once the deadline passes)
        problem.rectified_by, problem.rectified_at = officer, rectified
        history.move(problem, ProblemAction.RECTIFY, actor=officer, at=rectified, note=rng.choice(FEEDBACK))
        rechecked = rectified + timedelta(hours=rng.randint(2, 20))
        if rechecked > now - timedelta(days=2):
            return  # waiting for the re-check (the last two days' feedback is checked tomorrow)
        if rng.random() < 0.06:
            problem.rework_count += 1
            history.move(problem, ProblemAction.RETURN, actor=hq, at=rechecked, note=rng.choice(RETURNS))
            rectified = rechecked + timedelta(days=rng.randint(2, 6))
            continue
        problem.closed_at = rechecked
        history.move(problem, ProblemAction.CLOSE, actor=hq, at=rechecked, note="复核合格，准予销号。")
        return
