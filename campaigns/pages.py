"""The one rule by which a page answers a service's refusal. Every view that calls a service uses :func:`service_errors`.

- :class:`~campaigns.errors.NotAllowed` — the user may see the record but not do this to it — is a **403**
  (``PermissionDenied``): the page never offered the button, so a request for it is not a slip to correct. Its kind
  :class:`~campaigns.errors.NotVisible` — the record is outside the user's scope — is a **404**, as for no record.
- :class:`~campaigns.errors.IllegalTransition` (the move does not fit the record's status now, e.g. someone else acted
  first) and ``ValidationError`` (the input is wrong) are a **message on the page**: with a form, the form's error
  (field errors on their fields, the rest above the form) and the page is drawn again; without one, a
  ``messages.error`` shown after the view redirects back.

The API says the same through ``campaigns.api.errors`` (409, 403, 400)::

    form = ReturnForm(request.POST)
    if form.is_valid():
        with service_errors(request, form):
            services.report_return(actor=request.user, report=report, reason=form.cleaned_data["reason"])
            messages.success(request, "报告已退回。")
            return redirect("report-detail", pk=report.pk)
    return render(request, "…", {"form": form}, status=400)

A refusal leaves the ``with`` block at once (nothing after the failing call runs) and the view carries on below it.
"""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from campaigns.errors import IllegalTransition, NotAllowed, NotVisible


def error_text(error: Exception) -> str:
    """The Chinese text of a refusal, one line."""
    if isinstance(error, ValidationError):
        return "；".join(str(message) for message in error.messages)
    return str(getattr(error, "message", None) or error)


def add_form_error(form, error: Exception) -> None:
    """Put a refusal on ``form``: a ValidationError's field errors on the fields the form has, the rest on top."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error_text(error))


@contextmanager
def service_errors(request, form=None):
    """Run a service call under the page rule above: 403 for NotAllowed, a form error or a message for the rest."""
    try:
        yield
    except NotVisible as error:
        raise Http404(error.message) from error
    except NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except (IllegalTransition, ValidationError) as error:
        if form is not None:
            add_form_error(form, error)
        else:
            messages.error(request, error_text(error))


def filtered(request, filterset):
    """The rows a list page shows, and the status it answers with.

    Filters that do not validate (a date that is not one, a choice that does not exist) show the form's errors in
    Chinese over no rows, as a **400**: bad input is refused and nothing else happens (an export asked for with them
    is not made). An htmx redraw of the table stays a 200, because htmx swaps only 2xx answers into the page."""
    if filterset.is_valid():
        return filterset.qs, 200
    return filterset.queryset.none(), 200 if request.headers.get("HX-Request") else 400
