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
