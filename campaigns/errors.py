"""Errors the services raise; the API turns them into 409/403/400 and the pages into form errors."""

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


__all__ = ["IllegalTransition", "NotAllowed", "ValidationError"]
