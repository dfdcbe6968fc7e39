"""One workflow engine for every status that moves: reports, supervision cards, extensions, service records, tasks,
import jobs, problems.

A workflow is declared once, in its app's ``workflows.py``: its statuses come from the model's ``choices``, and each
:class:`Move` names an action, the statuses it may start from, the status it leads to, and who may take it. Services
change a status only through :meth:`Workflow.apply`, which

1. locks the row (``SELECT … FOR UPDATE`` of the row itself), so two moves at the same instant make one transition;
2. checks the move against the declaration (:class:`~campaigns.errors.IllegalTransition` → the API's 409, a page's
   message) and the actor (:class:`~campaigns.errors.NotAllowed` → 403);
3. writes the transition row (who, when, from, to, action, note) to the workflow's transition model — every such
   model extends :class:`campaigns.models.TransitionBase` — and saves the new status;

while notifications go through :func:`campaigns.notifications.notify` inside the same transaction (their emails are
queued after commit). Pages draw their buttons and the API lists its allowed actions from
:meth:`Workflow.allowed_actions`, the same declaration the engine enforces.

Why not a library. ``django-fsm-2`` (and ``django-fsm`` 5, now on Viewflow's engine, AGPL) and ``viewflow.fsm``
declare transitions as decorated model methods — our style keeps workflow out of ``models.py`` — and leave three of
the four things above to us: they do not lock the row (``ConcurrentTransitionMixin`` fails the second writer on save
instead of serialising it), they write no transition row (``django-fsm-log`` adds one generic table keyed by content
type, while our rows carry attachments and are read per record for timelines), and their permission hook sees the
instance and the user but cannot say *why* it refused in Chinese. What remains — a table of moves and a function that
applies one — is the hundred lines below, smaller than the glue a library would need.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from campaigns.errors import IllegalTransition, NotAllowed, NotVisible

CREATED = ""  # the "status" before a record exists: a creating move starts from it


def anyone(actor, obj) -> bool:
    return True


@dataclass(frozen=True)
class Move:
    """One action of a workflow: ``sources`` → ``target``, for an actor for whom ``allowed(actor, obj)`` holds."""

    action: str
    label: str
    sources: frozenset[str]
    target: str
    allowed: Callable = anyone
    refusal: str = "您无权执行此操作。"
    #: whether the page shows it as a plain button (False: the move needs a form of its own, or is the system's)
    button: bool = True
    #: the system takes it as a consequence (a task's figures, an import's run), never as someone's request: it is
    #: checked and recorded like any move but not offered as an action
    automatic: bool = False

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(str(s) for s in self.sources))
        object.__setattr__(self, "target", str(self.target))
        object.__setattr__(self, "action", str(self.action))


@dataclass(frozen=True)
class Workflow:
    """The statuses of one model and the moves between them, declared once."""

    name: str  # 中文名 for messages: "督办卡", "报告"
    model: str  # "app_label.Model"
    transition_model: str  # "app_label.Model" extending campaigns.models.TransitionBase
    subject_field: str  # the transition model's foreign key to the record
    moves: tuple[Move, ...]
    status_field: str = "status"
    #: also stamp this field with the move's time, when the model keeps one
    changed_at_field: str | None = None
    _by_action: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "moves", tuple(self.moves))
        self._by_action.update({move.action: move for move in self.moves})

    # --- reading the declaration ---

    def get_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def get_transition_model(self) -> type[models.Model]:
        return apps.get_model(self.transition_model)

    def move(self, action: str) -> Move:
        try:
            return self._by_action[str(action)]
        except KeyError:
            raise IllegalTransition(f"{self.name}没有“{action}”这个操作。") from None

    def statuses(self) -> dict[str, str]:
        """Status value → its Chinese label, from the model field's choices."""
        return {str(value): str(label) for value, label in self.get_model()._meta.get_field(self.status_field).choices}

    def status_label(self, value: str) -> str:
        return self.statuses().get(str(value), str(value) or "—")

    def target(self, action: str, current: str) -> str | None:
        """The status ``action`` leads to from ``current``, or None when the workflow does not allow it."""
        move = self._by_action.get(str(action))
        return move.target if move is not None and str(current) in move.sources else None

    def allowed_actions(self, actor, obj, *, automatic: bool = False) -> list[Move]:
        """The moves ``actor`` may take on ``obj`` now — what the page shows as buttons and the API as actions
        (with ``automatic``, also the moves the system would take in the actor's name)."""
        current = str(getattr(obj, self.status_field))
        if actor is None or not actor.is_authenticated or not actor.is_active:
            return []
        return [
            m for m in self.moves if current in m.sources and (automatic or not m.automatic) and m.allowed(actor, obj)
        ]

    def problems(self) -> list[str]:
        """What is wrong with the declaration (``manage.py check`` reports these)."""
        found = []
        try:
            statuses = set(self.statuses())
            transition_model = self.get_transition_model()
        except (LookupError, ValueError) as error:
            return [f"{self.name}：{error}"]
        from campaigns.models import TransitionBase

        if not issubclass(transition_model, TransitionBase):
            found.append(f"{self.name}：{self.transition_model} 应继承 TransitionBase")
        for move in self.moves:
            unknown = (move.sources - {CREATED} | {move.target}) - statuses
            if unknown:
                found.append(f"{self.name}的操作 {move.action} 用到未声明的状态 {sorted(unknown)}")
            if not callable(move.allowed):
                found.append(f"{self.name}的操作 {move.action} 的 allowed 应为可调用对象")
        if len(self._by_action) != len(self.moves):
            found.append(f"{self.name}有重复的操作名")
        return found

    # --- applying a move ---

    def lock(self, obj_or_pk, *, related: Iterable[str] = (), among: models.QuerySet | None = None) -> models.Model:
        """The record, re-read under a row lock (inside the caller's transaction); ``related`` are read in the same
        query (``select_related``), unlocked, for the actor rule to use. ``among`` (the rows the actor may see) is
        where the record is looked for, in that same query: a key outside it raises :class:`NotVisible`."""
        pk = obj_or_pk.pk if isinstance(obj_or_pk, models.Model) else obj_or_pk
        rows = (self.get_model().objects.all() if among is None else among.select_related(None)).select_for_update(
            of=("self",)
        )
        try:
            return (rows.select_related(*related) if related else rows).get(pk=pk)
        except self.get_model().DoesNotExist:
            if among is None:
                raise
            raise NotVisible(f"{self.name}不存在或无权查看。") from None

    def check(self, obj, action: str, *, actor=None) -> Move:
        """The move, if ``action`` fits ``obj``'s status now and ``actor`` (when given) may take it; else raise."""
        move = self.move(action)
        current = str(getattr(obj, self.status_field))
        if current not in move.sources:
            raise IllegalTransition(
                f"{self.name}当前状态为“{self.status_label(current)}”，不能执行“{move.label}”操作。"
            )
        if actor is not None and not move.allowed(actor, obj):
            raise NotAllowed(move.refusal)
        return move

    def apply(
        self,
        obj,
        action: str,
        *,
        actor,
        note: str = "",
        at: datetime | None = None,
        update_fields: Iterable[str] = (),
        check_actor: bool = True,
        **transition_fields,
    ):
        """Move the (already locked) ``obj`` by ``action``, record the transition, save; return the transition row.

        Call it inside ``transaction.atomic`` on a row from :meth:`lock`. ``update_fields`` names further fields the
        service set on ``obj`` for this move (``closed_at``, ``submitted_by`` …); they are saved with the status.
        ``check_actor=False`` is for moves the system makes (the calendar) whose actor was decided elsewhere.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Workflow.apply() must run inside the transaction that locked the row")
        move = self.check(obj, action, actor=actor if check_actor else None)
        at = at or timezone.now()
        from_status = str(getattr(obj, self.status_field))
        transition = self.get_transition_model().objects.create(
            **{self.subject_field: obj},
            action=move.action,
            from_status=from_status,
            to_status=move.target,
            actor=actor,
            at=at,
            note=note or "",
            **transition_fields,
        )
        setattr(obj, self.status_field, move.target)
        fields_to_save = {self.status_field, *update_fields}
        if self.changed_at_field:
            setattr(obj, self.changed_at_field, at)
            fields_to_save.add(self.changed_at_field)
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            fields_to_save.add("updated_at")
        obj.save(update_fields=sorted(fields_to_save))
        return transition

    def may_create(self, action: str, actor, obj=None) -> bool:
        """Whether ``actor`` may take the creating move ``action`` (on the unsaved ``obj``, when the rule needs one)."""
        move = self.move(action)
        if actor is None or not actor.is_authenticated or not actor.is_active:
            return False
        return CREATED in move.sources and bool(move.allowed(actor, obj))

    def check_creation(self, action: str, *, actor, obj=None) -> Move:
        """The creating move ``action`` if ``actor`` may take it; else raise (call it before storing the record)."""
        move = self.move(action)
        if CREATED not in move.sources:
            raise IllegalTransition(f"{self.name}的“{move.label}”不是创建操作。")
        if not self.may_create(action, actor, obj):
            raise NotAllowed(move.refusal)
        return move

    def record_creation(self, obj, action: str, *, actor, note: str = "", at: datetime | None = None, **extra):
        """The transition row of a record that a creating move (from :data:`CREATED`) has just stored."""
        move = self.move(action)
        if CREATED not in move.sources or str(getattr(obj, self.status_field)) != move.target:
            raise IllegalTransition(f"{self.name}的“{move.label}”不是创建操作。")
        return self.get_transition_model().objects.create(
            **{self.subject_field: obj},
            action=move.action,
            from_status=CREATED,
            to_status=move.target,
            actor=actor,
            at=at or timezone.now(),
            note=note or "",
            **extra,
        )


class BulkHistory:
    """Transition rows for records written in bulk — the demo's lived-in year — that read exactly as if every move
    had gone through :meth:`Workflow.apply`.

    Each step is checked against the declaration and the actor rule (:meth:`Workflow.check`,
    :meth:`Workflow.check_creation`), then the record's status (and its ``changed_at_field``) is set in memory and the
    transition row is kept; nothing is written until :meth:`save`. The caller saves the records first
    (``bulk_create``/``bulk_update``), then calls :meth:`save`, which stores the rows in a few ``bulk_create`` calls
    instead of a locked row and an ``INSERT`` per move. Not for live requests: there is no row lock, by design, because
    the records are new and no one else can see them yet.
    """

    def __init__(self, workflow: Workflow):
        self.workflow = workflow
        self.rows: list[models.Model] = []

    def _record(self, obj, move: Move, from_status: str, *, actor, at: datetime, note: str, extra: dict) -> None:
        self.rows.append(
            self.workflow.get_transition_model()(
                **{self.workflow.subject_field: obj},
                action=move.action,
                from_status=from_status,
                to_status=move.target,
                actor=actor,
                at=at,
                note=note or "",
                **extra,
            )
        )
        setattr(obj, self.workflow.status_field, move.target)
        if self.workflow.changed_at_field:
            setattr(obj, self.workflow.changed_at_field, at)

    def create(self, obj, action: str, *, actor, at: datetime, note: str = "", **extra):
        """The creating move of the (unsaved) ``obj``."""
        move = self.workflow.check_creation(action, actor=actor, obj=obj)
        self._record(obj, move, CREATED, actor=actor, at=at, note=note, extra=extra)
        return obj

    def move(self, obj, action: str, *, actor, at: datetime, note: str = "", **extra):
        """One move of ``obj`` from its status in memory; raises as :meth:`Workflow.apply` would."""
        move = self.workflow.check(obj, action, actor=actor)
        self._record(
            obj, move, str(getattr(obj, self.workflow.status_field)), actor=actor, at=at, note=note, extra=extra
        )
        return obj

    def save(self, *, batch_size: int = 2000) -> int:
        """Store the rows kept so far (their records must be saved by now); return how many."""
        rows, self.rows = self.rows, []
        for row in rows:  # a record saved after the row was made: take its new primary key
            subject = getattr(row, self.workflow.subject_field)
            setattr(row, f"{self.workflow.subject_field}_id", subject.pk)
        self.workflow.get_transition_model().objects.bulk_create(rows, batch_size=batch_size)
        return len(rows)
