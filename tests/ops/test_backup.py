"""A backup of a seeded city — cards, reports, photos, volunteers — restores into a new database with the same rows
in every table and the same bytes in every uploaded file."""

import json
import os
import time
from datetime import timedelta
from io import StringIO

import psycopg2
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from datong_portal.ops.backup import BackupError, backup_verify, media_checksums, table_row_counts
from supervision import services as supervision_services
from supervision.choices import CardSource
from supervision.models import CardAttachment
from taskforces import services as taskforce_services
from taskforces.choices import REPORT_EDITABLE, ReportKind
from taskforces.models import Report, ReportAttachment
from tests.ops.conftest import database_url
from tests.supervision.conftest import photo
from volunteers.models import Volunteer


def _server(dbname="postgres"):
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=dbname, host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"]
    )


def _row_counts(dbname: str) -> dict[str, int]:
    with _server(dbname) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}"
    yield name
    conn = _server()
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture
def city_with_uploads(city, hq, supervisor, officer_yungang, officer_pingcheng, government, yungang, pingcheng):
    """The demo city plus a supervision card with before/after photos and a weekly report with an attachment."""
    card = supervision_services.supervision_card_issue(
        actor=supervisor,
        title="和顺街道背街小巷环境整治",
        description="背街小巷垃圾堆放。",
        source=CardSource.INSPECTION,
        assignee_unit=government(yungang),
        deadline=timezone.localdate() + timedelta(days=10),
    )
    card = supervision_services.supervision_card_acknowledge(actor=officer_yungang, card=card)
    supervision_services.supervision_card_submit(
        actor=officer_yungang,
        card=card,
        feedback="已清理",
        before_photos=[photo("before.png")],
        after_photos=[photo("after.png")],
    )
    report = Report.objects.filter(
        unit=officer_pingcheng.unit, kind=ReportKind.WEEKLY, status__in=REPORT_EDITABLE
    ).first() or taskforce_services.report_open(
        actor=hq, unit=officer_pingcheng.unit, kind=ReportKind.WEEKLY, period="2022-W32"
    )
    upload = SimpleUploadedFile("周报.pdf", b"%PDF-1.4 demo weekly summary", content_type="application/pdf")
    taskforce_services.report_attach(actor=officer_pingcheng, report=report, upload=upload)
    assert CardAttachment.objects.count() >= 2 and ReportAttachment.objects.count() >= 1
    assert Volunteer.objects.exists()


@pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed
def test_backup_of_a_seeded_city_restores_into_a_new_database_with_equal_rows_and_files(
    city_with_uploads, tmp_path, restored_name
):
    media = settings.MEDIA_ROOT
    original_files = media_checksums(media)
    assert len(original_files) >= 3
    original_rows = _row_counts(connection.settings_dict["NAME"])
    assert original_rows["volunteers_volunteer"] > 0 and original_rows["supervision_supervisioncard"] > 0

    out = StringIO()
    call_command("backup", directory=tmp_path / "backups", keep=7, stdout=out)
    folder = tmp_path / "backups" / out.getvalue().strip().rsplit("/", 1)[-1]
    manifest = backup_verify(folder)
    assert manifest["engine"] == "postgresql" and manifest["media_files"] == original_files
    assert manifest["table_rows"] == table_row_counts() == original_rows

    restored_media = tmp_path / "restored-media"
    call_command(
        "restore",
        str(folder),
        database_url=database_url(restored_name),
        create_database=True,
        media_root=restored_media,
        interactive=False,
        stdout=StringIO(),
    )
    assert _row_counts(restored_name) == original_rows
    assert media_checksums(restored_media) == original_files


@pytest.mark.django_db
def test_backup_keeps_the_newest_n_and_refuses_a_damaged_one(city, tmp_path):
    directory = tmp_path / "backups"
    for _ in range(3):
        call_command("backup", directory=directory, keep=2, stdout=StringIO())
        time.sleep(1.05)  # a backup's folder is named after its second
    folders = sorted(p.name for p in directory.iterdir())
    assert len(folders) == 2 and not any(name.endswith(".partial") for name in folders)

    newest = directory / folders[-1]
    manifest = json.loads((newest / "manifest.json").read_text())
    with open(newest / manifest["database_file"], "ab") as dump:
        dump.write(b"tampered")
    with pytest.raises(BackupError, match="damaged"):
        backup_verify(newest)
