"""Who changed what, when, on the records that are edited rather than moved.

Workflow moves have their own transition rows (a report's, a supervision card's); this is for edits: tasks, reminder
cards, units, people, the star thresholds, the report calendar and the beat schedule. Each of those models carries a
``history`` of django-simple-history rows, written by :class:`PortalHistory`; :func:`history_rows` turns them into
what ``templates/_history.html`` shows to headquarters.

The row names its author in this order: ``instance._history_user`` (a service sets it to its actor), the actor of an
enclosing :func:`recorded_as` block, the signed-in user of the request (``HistoryRequestMiddleware``), else nobody
(the calendar's sweeps, the seed), shown as 系统.
"""

import threading
from contextlib import contextmanager
from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from simple_history import utils
from simple_history.models import DeletedObject, HistoricalRecords

KINDS = {"+": "创建", "~": "修改", "-": "删除"}
M2M_ACTIONS = {"post_add", "post_remove", "post_clear"}

_actor = threading.local()


@contextmanager
def recorded_as(actor):
    """History rows written inside the block name ``actor``: for services that save rows they do not hold first."""
    previous = getattr(_actor, "user", None)
    _actor.user = actor
    try:
        yield
    finally:
        _actor.user = previous


class PortalHistory(HistoricalRecords):
    """simple-history's ``HistoricalRecords`` with the portal's habits.

    - One edit is one row: a save that changes no tracked field (a second seed, a sign-in's ``last_login``, beat's run
      counters) leaves none, and many-to-many changes made right after a save on the same instance
      (``task.co_units.set(...)`` after ``task.save()``) fold into that save's row.
    - The row's author may come from :func:`recorded_as`.
    - The author is kept by id without a database constraint, so deleting a person never fails on their history.
    - The history models are named in Chinese: 任务修改记录.
    """

    def __init__(self, *args, user_db_constraint=False, **kwargs):
        super().__init__(*args, user_db_constraint=user_db_constraint, **kwargs)

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        if not self.user_set_verbose_name:
            options["verbose_name"] = format_lazy("{}修改记录", model._meta.verbose_name)
            options["verbose_name_plural"] = format_lazy("{}修改记录", model._meta.verbose_name)
        return options

    def get_history_user(self, instance):
        if not hasattr(instance, "_history_user") and getattr(_actor, "user", None) is not None:
            return _actor.user
        return super().get_history_user(instance)

    def post_save(self, instance, created, using=None, **kwargs):
        instance.__dict__.pop("_history_record", None)
        if not created and not kwargs.get("raw") and not self._tracked_fields_changed(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _tracked_fields_changed(self, instance) -> bool:
        last = getattr(instance, self.manager_name).first()
        if last is None or last.history_type == "-":
            return True
        fields = [field.attname for field in self.fields_included(instance) if field.editable]
        return any(getattr(last, name) != getattr(instance, name) for name in fields)

    def create_historical_record_m2ms(self, history_instance, instance):
        super().create_historical_record_m2ms(history_instance, instance)
        instance._history_record = history_instance

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if reverse:
            return  # a change made from the other side (``unit.co_tasks.add``) is not this model's edit
        record = getattr(instance, "_history_record", None)
        if record is None or action not in M2M_ACTIONS or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        for field in record._history_m2m_fields:
            self.m2m_models[field].objects.filter(history=record).delete()
        super().create_historical_record_m2ms(record, instance)


def history_rows(subject, *, limit: int = 50) -> list[dict]:
    """The latest ``limit`` history rows of a record, or of every record of a model, newest first.

    ``subject`` is a record (``task``) or a model (``Unit``: each row then names its record). A row holds the time, the
    author, the kind (创建/修改/删除) and each change as (field's verbose name, from, to), read with ``diff_against``
    from the record's row before.
    """
    whole_model = isinstance(subject, type)
    model = subject if whole_model else type(subject)
    pk_name = model._meta.pk.attname
    history = getattr(subject, model._meta.simple_history_manager_attribute).all()
    records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for index, record in enumerate(records[:limit]):
        key = getattr(record, pk_name)
        previous = next((older for older in records[index + 1 :] if getattr(older, pk_name) == key), None)
        if previous is None and record.history_type == "~":
            previous = record.prev_record
        edited = record.history_type == "~" and previous is not None
        rows.append(
            {
                "at": record.history_date,
                "who": record.history_user,
                "kind": KINDS[record.history_type],
                "type": record.history_type,
                "object": str(record.history_object) if whole_model else None,
                "changes": _changes(record, previous) if edited else [],
            }
        )
    return rows


def merged_history_rows(*subjects, limit: int = 30) -> list[dict]:
    """The history rows of several records or models (a page that edits more than one kind), newest first."""
    rows = [
        {**row, "object": row["object"] or str(subject)}
        for subject in subjects
        for row in history_rows(subject, limit=limit)
    ]
    return sorted(rows, key=lambda row: row["at"], reverse=True)[:limit]


def _changes(record, previous) -> list[dict]:
    """What ``record`` changed since ``previous``, in the order the model declares its fields."""
    meta = record.instance_type._meta
    delta = record.diff_against(previous, foreign_keys_are_objs=True)
    changes = []
    for change in sorted(delta.changes, key=lambda change: meta.get_field(change.field).creation_counter):
        field = meta.get_field(change.field)
        changes.append(
            {"label": field.verbose_name, "old": _shown(field, change.old), "new": _shown(field, change.new)}
        )
    return changes


def _shown(field, value) -> str:
    """A value as a person reads it: labels for choices, names for related records, local time, — for nothing."""
    if field.many_to_many:
        target = utils.get_m2m_reverse_field_name(field)
        return "、".join(str(row[target]) for row in value) or "—"
    if value is None or value == "":
        return "—"
    if isinstance(value, DeletedObject):  # diff_against's stand-in for a related row gone — or never set (pk None)
        return "—" if value.pk is None else f"已删除（#{value.pk}）"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
