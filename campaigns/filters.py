"""Filters shared by the apps' FilterSets."""

import django_filters
from django import forms


class IdFilter(django_filters.NumberFilter):
    """An id in a query (``?unit=22``): an integer, so ``22.5`` is a 400 rather than unit 22."""

    field_class = forms.IntegerField
