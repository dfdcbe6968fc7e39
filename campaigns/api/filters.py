"""The API's filter backend: django-filter's, without building a FilterSet when the query names none of its filters.

django-filter binds a form to every request and validates it, even for a plain ``GET /api/v1/reports/`` — an eighth
of a list call's time. With no filter named the FilterSet would return the queryset unchanged (every filter skips an
empty value, and no FilterSet here filters by default), so the backend returns it at once; a query that names any
filter, even with an empty value, goes through the FilterSet exactly as before (and gets the same 400 on bad input).
Multi-widget filters (range filters, whose parameters carry suffixes) would need their parameter names here: the
portal's FilterSets have none.
"""

from django_filters.rest_framework import DjangoFilterBackend


class PortalFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            name in request.query_params for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
