"""API lists kept in the cache like the dashboard's figures (campaigns/figures.py), one copy per reader and query.

Dashboards poll the same lists over and over; each read of a list of problems or cards with their histories costs
tens of milliseconds of queries and serializing. :class:`KeptListMixin` keeps a list's answer for the person who asked
for it and the exact query they asked, until a committed write to any table it read moves that table on (or the
minute turns: an "overdue" flag changes with the date). What it keeps is the data before rendering, so JSON and the
browsable API read the same copy.

The key holds everything of the reader a list's scoping looks at (``campaigns/scoping.py``): the account, its role,
its unit (and so its division), whether it is a superuser and active. Anything else read while the list is computed
— the unit's division, a leader's fields — is a table read and so observed. A list that writes while it is computed
(a logged read of personal data, say) is never kept (``figures.kept``), so the write happens on every read. Answers
other than 200 are never kept.
"""

from functools import wraps

from django.utils import timezone
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from campaigns import figures


class _NotKept(Exception):
    def __init__(self, response):
        self.response = response


def kept_list(method):
    """A viewset's ``list`` kept as above (for a viewset that writes its own ``list``)."""

    @wraps(method)
    def list(self, request, *args, **kwargs):
        user = request.user
        scope = (
            user.pk,
            user.role,
            user.unit_id,
            user.is_superuser,
            user.is_active,
            request.get_host(),
            request.is_secure(),
            request.get_full_path(),
        )

        def compute():
            response = method(self, request, *args, **kwargs)
            if response.status_code != 200:
                raise _NotKept(response)
            return response.data

        try:
            data = figures.kept(f"list:{self.basename}", scope, timezone.now(), compute)
        except _NotKept as not_kept:
            return not_kept.response
        return Response(data)

    return list


# Put first among a viewset's bases: its inherited ``list`` is kept. (A comment, not a docstring: a viewset without a
# docstring of its own would lend this one to its API description.)
class KeptListMixin:
    list = kept_list(ListModelMixin.list)
