"""Reference data (the 28 categories and their checklists, rectification deadlines), the demo points, round, visits
and problems, and the city-scale set of points. Every step is safe to run twice."""

from inspections.checklists import checklist_for
from inspections.choices import DEFAULT_DEADLINE_DAYS
from inspections.models import PointCategory, SeverityDeadline, Standard


def seed_reference(data: dict, log=print) -> None:
    """The categories from the reference data and a checklist for each. Existing standards are left as edited."""
    created = 0
    for position, name in enumerate(data["point_categories"], start=1):
        category, _ = PointCategory.objects.update_or_create(name=name, defaults={"position": position})
        for number, (aspect, text, weight, indicator, severity) in enumerate(checklist_for(name), start=1):
            _standard, was_created = Standard.objects.get_or_create(
                category=category,
                code=f"C{position:02d}-{number:02d}",
                defaults={
                    "aspect": aspect,
                    "text": text,
                    "weight": weight,
                    "indicator": indicator,
                    "severity": severity,
                    "position": number,
                },
            )
            created += was_created
    for severity, days in DEFAULT_DEADLINE_DAYS.items():
        SeverityDeadline.objects.get_or_create(severity=severity, defaults={"days": days})
    log(
        f"点位测评：{PointCategory.objects.count()} 类点位，{Standard.objects.count()} 条测评标准"
        f"（新增 {created} 条）。"
    )
