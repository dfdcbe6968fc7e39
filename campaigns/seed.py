"""Reference data and the demo set for the organisation and the plan. Every step is safe to run twice."""

import functools
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from campaigns.choices import Role, TaskStatus, UnitKind
from campaigns.models import (
    Division,
    ImprovementAction,
    Plan,
    PlanPhase,
    Task,
    ThematicActivity,
    Unit,
    User,
)

HEADQUARTERS_OFFICE = "大同市创建全国文明城市指挥部办公室"

# City departments (市直单位): those the article names first, then the ones the eight actions lean on.
CITY_DEPARTMENTS = [
    "市文明办",
    "市公安局",
    "市教育局",
    "市行政审批服务管理局",
    "团市委",
    "市关工委",
    "市城市管理局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市市场监督管理局",
    "市卫生健康委员会",
    "市民政局",
    "市商务局",
    "市文化和旅游局",
    "市生态环境局",
    "市自然资源和规划局",
    "市委宣传部",
    "市公安局交警支队",
]

# The lead unit of each improvement action, by the action's number.
ACTION_LEADS = {
    1: "市文明办",
    2: "市文化和旅游局",
    3: "市市场监督管理局",
    4: "市城市管理局",
    5: "市住房和城乡建设局",
    6: "市城市管理局",
    7: "市住房和城乡建设局",
    8: "市公安局交警支队",
}


def government_name(division: Division) -> str:
    return f"{division.name}人民政府"


def seed_reference(data: dict, log=print) -> None:
    for row in data["divisions"]:
        Division.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "pinyin": row["pinyin"], "kind": row["kind"], "urban": row["urban"]},
        )
    hq = data["headquarters"]
    command, _ = Unit.objects.update_or_create(
        name=hq["name"],
        defaults={"kind": UnitKind.HEADQUARTERS, "short_name": "创城指挥部", "leader_title": hq["commander_title"]},
    )
    Unit.objects.update_or_create(
        name=hq["office"], defaults={"kind": UnitKind.HEADQUARTERS, "short_name": "指挥部办公室", "parent": command}
    )
    for name in CITY_DEPARTMENTS:
        Unit.objects.update_or_create(name=name, defaults={"kind": UnitKind.DEPARTMENT})
    for division in Division.objects.all():
        Unit.objects.update_or_create(
            name=government_name(division),
            defaults={"kind": UnitKind.GOVERNMENT, "division": division, "short_name": division.name},
        )

    plan_data = data["plan"]
    years = [phase["year"] for phase in plan_data["phases"]]
    plan, _ = Plan.objects.update_or_create(
        name=plan_data["name"], defaults={"start_year": min(years), "end_year": max(years)}
    )
    for phase in plan_data["phases"]:
        programme = plan_data["annual_programme"] if str(phase["year"]) in plan_data["annual_programme"] else ""
        PlanPhase.objects.update_or_create(
            plan=plan, year=phase["year"], defaults={"goal": phase["goal"], "programme": programme}
        )
    for row in data["improvement_actions"]:
        lead = Unit.objects.filter(name=ACTION_LEADS.get(row["no"], "")).first()
        ImprovementAction.objects.update_or_create(
            no=row["no"], defaults={"plan": plan, "name": row["name"], "name_en": row["name_en"], "lead_unit": lead}
        )
    for row in data["thematic_activities"]:
        ThematicActivity.objects.update_or_create(
            no=row["no"], defaults={"plan": plan, "name": row["name"], "name_en": row["name_en"]}
        )
    log(
        f"组织与计划：{Division.objects.count()} 个区县，{Unit.objects.count()} 个单位，"
        f"{ImprovementAction.objects.count()} 项提升行动，{ThematicActivity.objects.count()} 项主题活动。"
    )


# Streets and communities for the demo: a few per urban district.
DEMO_STREETS = {
    "平城区": {
        "南关街道": ["南关社区", "迎宾社区"],
        "北关街道": ["北关社区"],
        "新建南路街道": ["桥南社区", "永泰社区"],
    },
    "云冈区": {"新平旺街道": ["新平旺社区"], "和顺街道": ["和顺社区"]},
    "新荣区": {"新荣镇": ["新荣社区"]},
    "云州区": {"西坪镇": ["西坪社区"]},
}


@functools.cache
def demo_password_hash(password: str) -> str:
    """The demo accounts' password, hashed once: every demo account shares the one password README prints, so a
    shared salt costs nothing, while hashing it per account (PBKDF2, ~0.8 s each on a small machine) cost the seed
    over ten seconds."""
    return make_password(password)


def _demo_user(username, *, display_name, role, unit, title="", staff=False):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "role": role,
            "unit": unit,
            "title": title,
            "is_staff": staff,
            "is_superuser": staff,
        },
    )
    if created:
        user.password = demo_password_hash(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_demo_accounts() -> dict[str, User]:
    office = Unit.objects.get(name=HEADQUARTERS_OFFICE)
    supervision = Unit.objects.get(name="市文明办")
    users = {
        # hq does the daily work in the portal (创城设置) and is no superuser: the admin is for data stewards
        # (``createsuperuser``), who keep the reference data.
        "hq": _demo_user("hq", display_name="王指挥部", role=Role.HEADQUARTERS, unit=office, title="指挥部办公室主任"),
        "supervisor": _demo_user(
            "supervisor", display_name="李督导", role=Role.SUPERVISOR, unit=supervision, title="督导检查专班组长"
        ),
        "leader": _demo_user(
            "leader",
            display_name="张市长",
            role=Role.LEADER,
            unit=Unit.objects.get(name="大同市创建全国文明城市指挥部"),
            title="副市长",
        ),
        "api-reader": _demo_user("api-reader", display_name="大屏数据接口", role=Role.API_READER, unit=office),
    }
    for division in Division.objects.all():
        username = f"officer-{division.pinyin.lower()}"
        users[username] = _demo_user(
            username,
            display_name=f"{division.name}创城办",
            role=Role.OFFICER,
            unit=Unit.objects.get(name=government_name(division)),
            title="创城办主任",
        )
    return users


# (action no, title, lead unit or division name, deadline offset in days, target, done, measure, status)
DEMO_TASKS = [
    (8, "规范设置城区停车泊位", "市公安局交警支队", 120, 19116, 3962, "个", TaskStatus.IN_PROGRESS),
    (8, "完成停车治理路段规划", "市公安局交警支队", -20, 114, 114, "条", TaskStatus.DONE),
    (8, "增设停车引导标识牌", "市公安局交警支队", 30, 143, 96, "块", TaskStatus.IN_PROGRESS),
    (8, "主要路口文明交通劝导", "平城区", -5, None, 0, "", TaskStatus.IN_PROGRESS),
    (8, "整治非机动车乱停乱放", "云冈区", 14, None, 0, "", TaskStatus.NOT_STARTED),
    (1, "开展文明礼仪进社区宣讲", "市文明办", 45, 200, 126, "场", TaskStatus.IN_PROGRESS),
    (1, "评选表彰“大同好少年”", "市教育局", -10, 126, 126, "名", TaskStatus.DONE),
    (1, "市民文明公约张贴全覆盖", "平城区", -3, 500, 410, "处", TaskStatus.IN_PROGRESS),
    (2, "规范城市社会用语用字排查", "市文化和旅游局", 60, 1000, 350, "处", TaskStatus.IN_PROGRESS),
    (2, "古城街区牌匾风貌整治", "平城区", 20, 300, 120, "块", TaskStatus.IN_PROGRESS),
    (3, "沿街商铺“门前五包”签约", "市市场监督管理局", 25, 5000, 3100, "户", TaskStatus.IN_PROGRESS),
    (3, "治理店外经营和占道经营", "云冈区", -7, None, 0, "", TaskStatus.IN_PROGRESS),
    (3, "新荣区商业街综合治理", "新荣区", 40, None, 0, "", TaskStatus.NOT_STARTED),
    (4, "背街小巷环境卫生整治", "平城区", 10, 120, 60, "条", TaskStatus.IN_PROGRESS),
    (4, "农贸市场环境提升", "云州区", -15, 8, 5, "个", TaskStatus.IN_PROGRESS),
    (4, "公共厕所提标改造", "市城市管理局", 90, 60, 18, "座", TaskStatus.IN_PROGRESS),
    (5, "破损道路和井盖修复", "市住房和城乡建设局", 30, 400, 250, "处", TaskStatus.IN_PROGRESS),
    (5, "路灯亮化设施维修", "云冈区", -2, 800, 640, "盏", TaskStatus.IN_PROGRESS),
    (6, "清理违规户外广告", "市城市管理局", 15, 900, 900, "处", TaskStatus.DONE),
    (6, "城乡接合部乱搭乱建整治", "云州区", 50, None, 0, "", TaskStatus.NOT_STARTED),
    (7, "老旧小区物业管理全覆盖", "市住房和城乡建设局", 75, 210, 88, "个", TaskStatus.IN_PROGRESS),
    (7, "平城区小区楼道杂物清理", "平城区", -1, 150, 90, "个", TaskStatus.IN_PROGRESS),
    (7, "云冈区小区停车秩序规范", "云冈区", 35, None, 0, "", TaskStatus.NOT_STARTED),
    (4, "阳高县县城环境卫生整治", "阳高县", 60, None, 0, "", TaskStatus.NOT_STARTED),
]


def _demo_units(divisions_by_name):
    for division_name, streets in DEMO_STREETS.items():
        division = divisions_by_name[division_name]
        government = Unit.objects.get(name=government_name(division))
        for street, communities in streets.items():
            street_unit, _ = Unit.objects.update_or_create(
                name=f"{division_name}{street}",
                defaults={"kind": UnitKind.STREET, "division": division, "parent": government, "short_name": street},
            )
            for community in communities:
                Unit.objects.update_or_create(
                    name=f"{division_name}{street}{community}",
                    defaults={
                        "kind": UnitKind.COMMUNITY,
                        "division": division,
                        "parent": street_unit,
                        "short_name": community,
                    },
                )


def seed_demo(data: dict, log=print) -> None:
    divisions = {d.name: d for d in Division.objects.all()}
    _demo_units(divisions)
    users = seed_demo_accounts()
    today = timezone.localdate()
    actions = {a.no: a for a in ImprovementAction.objects.all()}
    activity = ThematicActivity.objects.filter(no=1).first()
    created = 0
    for no, title, lead, offset, target, done, measure, status in DEMO_TASKS:
        if lead in divisions:
            unit = Unit.objects.get(name=government_name(divisions[lead]))
            owner = users[f"officer-{divisions[lead].pinyin.lower()}"]
        else:
            unit = Unit.objects.get(name=lead)
            owner = users["leader"] if no == 8 else None
        _task, was_created = Task.objects.get_or_create(
            title=title,
            defaults={
                "action": actions[no],
                "activity": activity if no in (4, 6) else None,
                "lead_unit": unit,
                "owner": owner,
                "deadline": today + timedelta(days=offset),
                "target": Decimal(target) if target else None,
                "done": Decimal(done),
                "measure": measure,
                "status": status,
                "description": "按照《大同市2021年创建全国文明城市工作方案》要求推进，每周一报送进展。",
            },
        )
        created += was_created
    log(f"演示数据：{len(users)} 个演示账号，新增 {created} 项任务（共 {Task.objects.count()} 项）。")
