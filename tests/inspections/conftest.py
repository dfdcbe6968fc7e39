"""Helpers for the inspections tests: a point with its checklist, visits, and problems walked to any status."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.choices import Role
from campaigns.models import Unit, User
from inspections import services
from inspections.choices import Aspect, ProblemStatus
from inspections.models import Point, PointCategory, Standard


def png_bytes(size=(8, 8), color=(30, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name="photo.png", data=None):
    return SimpleUploadedFile(name, png_bytes() if data is None else data, content_type="image/png")


@pytest.fixture
def category(city):
    """A category of our own with three standards of weight 3, 2 and 1 (the arithmetic stays readable)."""
    category = PointCategory.objects.create(name="测试类别", position=99)
    for number, (aspect, weight) in enumerate(
        [(Aspect.PUBLICITY, "3"), (Aspect.ORDER, "2"), (Aspect.INFRASTRUCTURE, "1")], start=1
    ):
        Standard.objects.create(
            category=category,
            aspect=aspect,
            code=f"T-{number:02d}",
            text=f"测试标准{number}",
            weight=Decimal(weight),
            position=number,
        )
    return category


@pytest.fixture
def standards(category):
    return list(category.standards.order_by("position"))


@pytest.fixture
def city_department(city):
    return Unit.objects.get(name="市城市管理局")


@pytest.fixture
def department_officer(city_department):
    """An officer of a city department (no division of its own): the responsible unit's person."""
    return User.objects.create_user(
        "officer-cgj", display_name="城管局创城办", role=Role.OFFICER, unit=city_department, password="x"
    )


@pytest.fixture
def point(category, pingcheng, city_department):
    return Point.objects.create(
        code="T-PC-001",
        name="魏都大道（测试段）",
        category=category,
        division=pingcheng,
        responsible_unit=city_department,
        address="平城区魏都大道",
        latitude=Decimal("40.076"),
        longitude=Decimal("113.300"),
    )


@pytest.fixture
def yungang_point(category, yungang, government):
    return Point.objects.create(
        code="T-YG-001",
        name="云冈区测试点位",
        category=category,
        division=yungang,
        responsible_unit=government(yungang),
    )


@pytest.fixture
def visit(supervisor, point, standards):
    """``visit(passed=[True, False, None], point=…, actor=…)``: record a visit with one result per standard."""

    def make(passed=(True, False, None), *, at=None, actor=None, target=None, notes=None, **extra):
        results = [
            {"standard": s.pk, "passed": p, "note": (notes or {}).get(i, "")}
            for i, (s, p) in enumerate(zip(standards, passed, strict=False))
        ]
        return services.inspection_record(
            actor=actor or supervisor, point=target or point, results=results, inspected_at=at, **extra
        )

    return make


@pytest.fixture
def problem_in(visit, supervisor, hq, department_officer):
    """``problem_in(status)``: a problem of ``point`` (平城区, 市城市管理局) walked to ``status`` by the services."""

    def make(status):
        inspection = visit((True, False, True))
        problem = inspection.results.get(outcome="failed").problem
        if status == ProblemStatus.OPEN:
            return problem
        problem = services.problem_dispatch(actor=supervisor, problem=problem)
        if status == ProblemStatus.DISPATCHED:
            return problem
        problem = services.problem_rectify(actor=department_officer, problem=problem, feedback="已清理完毕。")
        if status == ProblemStatus.RECTIFIED:
            return problem
        return services.problem_recheck(actor=hq, problem=problem, approved=True)

    return make


def days_ago(n):
    from django.utils import timezone

    return timezone.now() - timedelta(days=n)
