"""The problems' calendar: one daily sweep that climbs the overdue ladder, each rung once per problem.

- the last working day before the deadline: a reminder to the responsible unit's officers;
- the first overdue working day: a notice to the unit and to the division's 创城办;
- the third overdue working day: a notice to the unit, the division's 创城办 and headquarters.

Days are working days (工作日, campaigns/workdays.py), as the deadline itself is counted in working days.

A ``ProblemEscalation`` row per (problem, step), inserted in the same transaction as the notices, decides: two sweeps
at once, a replay with ``campaign_clock --now`` or a retried task do each step once. Only dispatched problems climb
(the unit owes the rectification); a sweep that missed days catches up the overdue steps the next time it runs.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns import workdays
from campaigns.notifications import notify
from campaigns.selectors import headquarters_staff, unit_officers
from inspections.choices import OVERDUE_STEPS, UNIT_OWES, ProblemStep
from inspections.models import Problem, ProblemEscalation
from inspections.services import division_officers, problem_url

REMINDER_HORIZON = timedelta(days=15)  # longer than any run of rest days (Spring Festival: 9 days)


def _message(problem, step, days):
    unit = list(unit_officers(problem.responsible_unit_id))
    title_base = f"{problem.point.name}：{problem.standard.text[:30]}"
    if step == ProblemStep.REMINDER:
        return (
            unit,
            f"问题将于 {problem.deadline:%m月%d日} 到期：{title_base}",
            f"请于 {problem.deadline:%Y-%m-%d} 前整改并反馈。",
        )
    division = list(division_officers(problem.division_id))
    if step == ProblemStep.OVERDUE_1:
        return unit + division, f"问题已逾期：{title_base}", f"{problem.responsible_unit}承办的问题已超过整改时限。"
    return (
        unit + division + list(headquarters_staff()),
        f"问题逾期{days}个工作日：{title_base}",
        f"{problem.responsible_unit}承办的问题已逾期{days}个工作日，请督促整改，必要时升级为督办卡。",
    )


def _fire(problem, step, now, days) -> bool:
    try:
        with transaction.atomic():
            ProblemEscalation.objects.create(problem=problem, step=step, fired_at=now, deadline=problem.deadline)
            recipients, title, body = _message(problem, step, days)
            notify(
                recipients=recipients,
                kind=f"inspection-{step}",
                title=title,
                body=body,
                url=problem_url(problem),
                key=f"inspections:problem:{problem.pk}:{step}",
            )
    except IntegrityError:
        return False  # another sweep got there first
    return True


def sweep_overdue_problems(now: datetime) -> str:
    today = timezone.localtime(now).date()
    exceptions = workdays.local_exceptions()  # once for the sweep
    problems = (
        Problem.objects.filter(status__in=UNIT_OWES, deadline__lte=today + REMINDER_HORIZON)
        .select_related("point", "standard", "responsible_unit")
        .order_by("id")
    )
    fired = dict.fromkeys(ProblemStep.values, 0)
    done_by_problem = {}
    for problem_id, step in ProblemEscalation.objects.filter(problem__in=problems).values_list("problem_id", "step"):
        done_by_problem.setdefault(problem_id, set()).add(step)
    for problem in problems.iterator(chunk_size=500):
        done = done_by_problem.get(problem.pk, set())
        due, days = [], 0
        if problem.deadline > today:
            if workdays.previous_working_day(problem.deadline, exceptions=exceptions) == today:
                due.append(ProblemStep.REMINDER)
        else:
            days = workdays.working_days_between(problem.deadline, today, exceptions=exceptions)
        due += [step for step, after in OVERDUE_STEPS if days >= after]
        for step in due:
            if step not in done and _fire(problem, step, now, days):
                fired[step] += 1
    labels = {step: ProblemStep(step).label for step in ProblemStep.values}
    return "点位问题逾期督办：" + "，".join(f"{labels[step]} {count} 个" for step, count in fired.items())


SWEEPS = {"inspections-problem-overdue": sweep_overdue_problems}
SCHEDULE = [("inspections-problem-overdue", {"minute": "40", "hour": "8"}, "点位问题到期提醒与逾期督办（每日8:40）")]
