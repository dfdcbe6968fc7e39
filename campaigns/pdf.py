"""Printable documents: Django templates rendered to PDF by WeasyPrint, Chinese in an embedded CJK font.

The font comes from the system (Debian's fonts-wqy-microhei, installed by ``scripts/system-deps.sh``); the layout in
``templates/pdf/base.html`` names it on ``html`` so that the page-number margin boxes inherit it (PITFALLS).
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.encoding import escape_uri_path


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which pages without PDFs never need

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html).write_pdf()


def pdf_response(template_name: str, context: dict, *, filename: str, request=None) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


def render_pdf_with_pages(template_name: str, context: dict, request=None) -> tuple[bytes, int]:
    """The PDF and its number of pages (a numbered document that keeps its page count: the monthly briefing)."""
    from weasyprint import HTML

    document = HTML(string=render_to_string(template_name, context, request=request)).render()
    return document.write_pdf(), len(document.pages)
