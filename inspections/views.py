"""Thin pages over the same services and selectors the API uses."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from inspections import selectors


@login_required
def round_detail(request, pk):
    round_ = get_object_or_404(selectors.rounds_visible_to(request.user), pk=pk)
    return render(request, "inspections/round_detail.html", {"round": round_})


@login_required
def problem_detail(request, pk):
    problem = get_object_or_404(selectors.problems_with_history(selectors.problems_visible_to(request.user)), pk=pk)
    return render(request, "inspections/problem_detail.html", {"problem": problem})
