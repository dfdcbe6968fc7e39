from collections import OrderedDict

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from volunteers.paging import capped_count


class CappedCountPagination(PageNumberPagination):
    """Page-number paging for the big lists without ``COUNT(*)`` over the whole table.

    ``count`` is exact up to 10,000 matching rows; beyond that it is PostgreSQL's estimate for the same filtered query
    and ``count_exact`` is false. ``next`` is present exactly when another row exists.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param, "1")
        # ASCII digits only ("２" is a digit to Python), and few enough that the offset fits in a bigint
        if not (str(raw).isascii() and str(raw).isdigit()) or len(str(raw)) > 9 or int(raw) < 1:
            raise NotFound("页码无效。")
        self.number = int(raw)
        offset = (self.number - 1) * size
        rows = list(queryset[offset : offset + size + 1])
        if not rows and self.number > 1:
            raise NotFound("页码无效。")
        self.has_next = len(rows) > size
        self.count, self.count_exact = capped_count(queryset)
        return rows[:size]

    def _url(self, number):
        from rest_framework.utils.urls import remove_query_param, replace_query_param

        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("count", self.count),
                    ("count_exact", self.count_exact),
                    ("next", self._url(self.number + 1) if self.has_next else None),
                    ("previous", self._url(self.number - 1) if self.number > 1 else None),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_exact"] = {"type": "boolean", "description": "count 为精确值（否则为估算值）"}
        return response
