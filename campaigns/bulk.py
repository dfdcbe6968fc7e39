"""Act on many rows at once, through the same service and permission check as one.

A bulk action takes the ids the user selected, finds each among the rows the user may see (the list's own scoped
queryset: an id outside it is "not found", never another district's row), and calls the single action's service for
each in its own transaction — so one refused row does not undo the others, and a workflow move that does not fit the
row's status is refused exactly as the single button would refuse it. The answer lists, row by row, what was done
and what was refused and why, in Chinese.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from campaigns.errors import IllegalTransition, NotAllowed

BULK_MAX = 200  # rows per bulk action: a page's worth


@dataclass
class BulkResult:
    done: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"done": self.done, "refused": self.refused}

    def summary(self, verb: str) -> str:
        text = f"{verb} {len(self.done)} 条"
        if self.refused:
            text += f"，未能{verb} {len(self.refused)} 条：" + "；".join(
                f"{row['label']}：{row['detail']}" for row in self.refused[:10]
            )
        return text


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(
            message
            for messages in getattr(error, "message_dict", {"": error.messages}).values()
            for message in messages
        )
    return str(error)


def parse_ids(values: Iterable) -> list[int]:
    """The selected ids as integers, in order, once each; raise ValidationError (a 400) for anything else."""
    ids = []
    for value in values:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValidationError({"ids": ["请选择有效的记录。"]}) from None
        if not 0 < number < 2**31:
            raise ValidationError({"ids": ["请选择有效的记录。"]})
        if number not in ids:
            ids.append(number)
    if not ids:
        raise ValidationError({"ids": ["请至少选择一条记录。"]})
    if len(ids) > BULK_MAX:
        raise ValidationError({"ids": [f"一次最多处理 {BULK_MAX} 条。"]})
    return ids


def bulk_apply(ids: Iterable[int], *, queryset, action: Callable, label: Callable = str) -> BulkResult:
    """Call ``action(obj)`` (the single action's service) for each selected row of ``queryset`` (the user's scope)."""
    result = BulkResult()
    rows = queryset.in_bulk(list(ids))
    for pk in ids:
        obj = rows.get(pk)
        if obj is None:
            result.refused.append({"id": pk, "label": f"#{pk}", "detail": "记录不存在或无权查看。"})
            continue
        name = label(obj)
        try:
            with transaction.atomic():
                action(obj)
        except (IllegalTransition, NotAllowed, ValidationError) as error:
            result.refused.append({"id": pk, "label": name, "detail": _message(error)})
        else:
            result.done.append({"id": pk, "label": name})
    return result
