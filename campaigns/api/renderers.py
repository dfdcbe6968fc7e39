"""The browsable API reads, it does not offer forms.

Its HTML and raw-data forms would draw a ``<select>`` of every choice of every related field — tens of thousands of
volunteers — on every page; the related fields are scoped (campaigns/api/fields.py), and the forms are switched off
besides, so a page shows the response and nothing more. Writes are made with JSON, as the API documentation says.
"""

from rest_framework.renderers import BrowsableAPIRenderer


class ReadingBrowsableAPIRenderer(BrowsableAPIRenderer):
    def show_form_for_method(self, view, method, request, obj):
        return False
