"""The eight task forces from the reference data; demo groups and members."""

from campaigns.models import Division, User
from taskforces.models import TaskForce, TaskForceGroup

FIELDS = {
    "coordination": "统筹协调指挥部办公室日常工作，调度各专班、各区县创建进度，组织例会和通报。",
    "field-assessment": "对照《全国文明城市测评体系》实地考察点位标准，组织点位自查、模拟测评和问题整改。",
    "materials": "负责网上申报材料的收集、审核、上报和档案管理。",
    "survey": "组织市民问卷调查的宣传和模拟调查，提升群众知晓率、支持率和满意度。",
    "minors-integrity": "推进未成年人思想道德建设和社会诚信体系建设。",
    "big-data": "负责创建工作数据的汇总分析和信息平台建设。",
    "publicity": "负责创建宣传氛围营造和舆论引导。",
    "supervision": "对各区县、各部门创建工作开展督导检查，下发督办卡并跟踪整改销号。",
}


DEMO_GROUPS = {
    "field-assessment": [("点位测评组", "按点位类别组织实地测评。"), ("问题整改组", "跟踪测评问题整改销号。")],
    "supervision": [("第一督导组", "对接平城区、云冈区。"), ("第二督导组", "对接新荣区、云州区。")],
    "coordination": [("综合组", "会议、文稿、通报。"), ("调度组", "周调度、月通报。")],
    "materials": [("材料审核组", "审核各单位申报材料。")],
}


def seed_reference(data: dict, log=print) -> None:
    urban = list(Division.objects.filter(urban=True))
    for order, row in enumerate(data["task_forces"], start=1):
        task_force, created = TaskForce.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "order": order,
                "field": FIELDS.get(row["code"], ""),
            },
        )
        if created:
            task_force.liaison_divisions.set(urban)
    log(f"工作专班：{TaskForce.objects.count()} 个。")
    seed_calendar(data, log)


def seed_demo(data: dict, log=print) -> None:
    hq = User.objects.filter(username="hq").first()
    supervisor = User.objects.filter(username="supervisor").first()
    for code, groups in DEMO_GROUPS.items():
        task_force = TaskForce.objects.get(code=code)
        leader = supervisor if code in ("supervision", "field-assessment") else hq
        if task_force.leader_id is None:
            task_force.leader = leader
            task_force.save(update_fields=["leader"])
        task_force.members.add(*[u for u in (hq, supervisor) if u])
        for name, responsibility in groups:
            group, _ = TaskForceGroup.objects.get_or_create(
                task_force=task_force, name=name, defaults={"responsibility": responsibility, "leader": leader}
            )
            group.members.add(*[u for u in (hq, supervisor) if u])
    log(f"专班小组：{TaskForceGroup.objects.count()} 个。")
    seed_demo_cards(log)


DEMO_CARDS = [
    {
        "title": "平城区创城重点工作提示",
        "unit": "平城区人民政府",
        "supervision_items": ["古城街区环境秩序整治", "背街小巷环境卫生整治"],
        "portfolio": ["城市管理", "市容环境", "交通秩序"],
        "department_duties": ["区城管局：牵头店外经营、占道经营整治", "区住建局：老旧小区楼道杂物清理"],
        "points": ["鼓楼东街", "华严寺周边", "红旗广场农贸市场"],
        "outstanding_problems": ["背街小巷垃圾清运不及时", "非机动车乱停乱放"],
        "hidden_risks": ["老旧小区消防通道堵塞", "井盖破损"],
        "tasks": ["主要路口文明交通劝导", "市民文明公约张贴全覆盖", "背街小巷环境卫生整治"],
    },
    {
        "title": "云冈区创城重点工作提示",
        "unit": "云冈区人民政府",
        "supervision_items": ["店外经营和占道经营治理"],
        "portfolio": ["市场秩序", "小区管理"],
        "department_duties": ["区市场监管局：农贸市场环境提升"],
        "points": ["云冈大道沿线商铺"],
        "outstanding_problems": ["占道经营反弹"],
        "hidden_risks": ["路灯损坏影响夜间出行安全"],
        "tasks": ["治理店外经营和占道经营", "路灯亮化设施维修"],
    },
    {
        "title": "文明交通和停车秩序领衔督办提示",
        "leader": "leader",
        "supervision_items": ["城区停车泊位规范设置", "文明交通劝导"],
        "portfolio": ["公安交通", "城市管理"],
        "department_duties": ["市公安局交警支队：停车泊位施划、引导标识设置", "市城市管理局：违规户外广告清理"],
        "points": ["114 条停车治理路段"],
        "outstanding_problems": ["已施划泊位 3962 个，仅为规划的两成"],
        "hidden_risks": ["占用盲道停车"],
        "tasks": ["规范设置城区停车泊位", "增设停车引导标识牌"],
    },
]


def seed_calendar(data: dict, log=print) -> None:
    from taskforces.models import ReportCalendar

    ReportCalendar.current()


def seed_demo_cards(log=print) -> None:
    """Three demo cards and a few weeks of reports in every state, so the board looks alive."""
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.models import Task, Unit
    from taskforces import periods, services
    from taskforces.choices import ReportKind
    from taskforces.models import ReminderCard, Report, ReportCalendar

    hq = User.objects.filter(username="hq").first()
    if hq is None or ReminderCard.objects.exists():
        return
    now = timezone.now()
    issued = now - timedelta(days=35)
    for spec in DEMO_CARDS:
        spec = dict(spec)
        unit = Unit.objects.filter(name=spec.pop("unit", "")).first()
        leader = User.objects.filter(username=spec.pop("leader", "")).first()
        tasks = Task.objects.filter(title__in=spec.pop("tasks"))
        services.reminder_card_issue(
            actor=hq, recipient_unit=unit, recipient_leader=leader, tasks=tasks, now=issued, **spec
        )
    calendar = ReportCalendar.current()
    holders = services.reminder_card_holders(ReminderCard.objects.select_related("recipient_leader"))
    labels = periods.recent_periods(ReportKind.WEEKLY, now, 4)
    for index, label in enumerate(reversed(labels)):
        for number, (unit_id, leader_id) in enumerate(sorted(holders, key=lambda h: (h[0], h[1] or 0))):
            due = periods.due_at(ReportKind.WEEKLY, label, calendar)
            report, _created = Report.objects.get_or_create(
                unit_id=unit_id, leader_id=leader_id, kind=ReportKind.WEEKLY, period=label, defaults={"due_at": due}
            )
            if (index + number) % 4 == 3 or report.status != "expected":
                continue  # left missing (or already moved)
            people = services.report_people(report)
            if not people:
                continue
            at = due - timedelta(hours=5) if (index + number) % 4 != 2 else due + timedelta(hours=9)
            services.report_submit(
                actor=people[0],
                report=report,
                now=min(at, now),
                summary=f"本周完成{label}各项创城任务，开展巡查 {12 + number} 次，整改问题 {5 + index} 处。",
                problems="部分背街小巷保洁不到位。",
                next_plan="继续推进重点点位整治。",
            )
            if index < 2:
                services.report_accept(actor=hq, report=report)
    services.reports_open(now=now)
    log(f"提示卡：{ReminderCard.objects.count()} 张；周报月报：{Report.objects.count()} 份。")
