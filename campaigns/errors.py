"""Errors the services raise; the API turns them into 409/403/404/400 and the pages into form errors."""

from django.core.exceptions import ValidationError


class IllegalTransition(Exception):
    """A workflow move that does not fit the object's current status (API: 409)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotAllowed(Exception):
    """The actor may see the object but not do this to it (API: 403)."""

    def __init__(self, message="您无权执行此操作。"):
        super().__init__(message)
        self.message = message


class NotVisible(NotAllowed):
    """The object is outside the actor's scope: to them it does not exist (API and pages: 404, the same answer as a
    key that names nothing, so nothing is learnt about other divisions' records)."""

    def __init__(self, message="记录不存在或无权查看。"):
        super().__init__(message)


__all__ = ["IllegalTransition", "NotAllowed", "NotVisible", "ValidationError"]
