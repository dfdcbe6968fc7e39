"""Helpers for the supervision tests: issue a card and walk it to any status through the services."""

import io
import os
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaigns.choices import Role, UnitKind
from campaigns.models import Unit, User
from supervision import services
from supervision.choices import CardSource, CardStatus
from supervision.models import SupervisionCard


def at(day_offset: int, hour: int = 9) -> datetime:
    """An aware datetime ``day_offset`` days from today, at ``hour`` o'clock in Asia/Shanghai."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def workday(offset: int):
    """The working day ``offset`` working days from today (campaigns/workdays.py): a deadline that a card keeps as it
    is, where ``today + timedelta(days=offset)`` could fall on a weekend and move to the next working day."""
    from campaigns import workdays

    return workdays.add_working_days(timezone.localdate(), offset)


def png_bytes(size=(8, 8), color=(200, 30, 30), noise=False) -> bytes:
    image = Image.new("RGB", size, color)
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name="after.png", data=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if data is None else data, content_type=content_type)


@pytest.fixture
def yungang_government(government, yungang):
    return government(yungang)


@pytest.fixture
def issue_card(supervisor, yungang_government):
    """``issue_card(**overrides)``: a card issued by ``supervisor`` to 云冈区人民政府, due in ten days."""

    def make(**overrides):
        fields = {
            "actor": supervisor,
            "title": "和顺街道背街小巷环境整治",
            "description": "背街小巷垃圾堆放、乱贴乱画。",
            "source": CardSource.INSPECTION,
            "assignee_unit": yungang_government,
            "deadline": timezone.localdate() + timedelta(days=10),
            "requirement": "五日内清理到位，附整改前后照片。",
        }
        fields.update(overrides)
        return services.supervision_card_issue(**fields)

    return make


@pytest.fixture
def card_in(issue_card, supervisor, officer_yungang):
    """``card_in(status)``: a fresh card walked to ``status`` by its unit's officer and its issuer."""

    paths = {
        CardStatus.ISSUED: [],
        CardStatus.ACKNOWLEDGED: ["acknowledge"],
        CardStatus.SUBMITTED: ["acknowledge", "submit"],
        CardStatus.RETURNED: ["acknowledge", "submit", "return"],
        CardStatus.CLOSED: ["acknowledge", "submit", "close"],
    }

    def make(status, **overrides):
        card = issue_card(**overrides)
        for step in paths[status]:
            if step == "acknowledge":
                card = services.supervision_card_acknowledge(actor=officer_yungang, card=card)
            elif step == "submit":
                card = services.supervision_card_submit(actor=officer_yungang, card=card, feedback="已整改完毕。")
            elif step == "return":
                card = services.supervision_card_verify(
                    actor=supervisor, card=card, approved=False, comment="仍有反弹。"
                )
            elif step == "close":
                card = services.supervision_card_verify(
                    actor=supervisor, card=card, approved=True, comment="同意销号。"
                )
        card = SupervisionCard.objects.get(pk=card.pk)
        assert card.status == status
        return card

    return make


@pytest.fixture
def street_officer_yungang(yungang):
    """An officer of a street in 云冈区: sees the district's cards, but is not the government's assignee."""
    street = Unit.objects.create(name="云冈区测试街道", kind=UnitKind.STREET, division=yungang)
    return User.objects.create(username="officer-yungang-street", role=Role.OFFICER, unit=street)


@pytest.fixture
def other_supervisor(city):
    return User.objects.create(username="supervisor-2", role=Role.SUPERVISOR, unit=city["supervisor"].unit)


def snapshot(card) -> dict:
    """Everything about a card that an action could change."""
    card = SupervisionCard.objects.get(pk=card.pk)
    return {
        "status": card.status,
        "deadline": card.deadline,
        "rework_count": card.rework_count,
        "extension_count": card.extension_count,
        "closed_at": card.closed_at,
        "transitions": list(card.transitions.values_list("id", flat=True)),
        "attachments": list(card.attachments.values_list("id", flat=True)),
        "extensions": list(card.extensions.values_list("id", "status")),
    }
