"""How an app joins the portal: the one place that says it.

Each portal app's ``AppConfig.ready()`` calls :func:`contribute` once with what it brings — its pages, its API
routes, its navigation menu, its home-page panel, its dashboard figures, cockpit parts and league-table columns, its calendar sweeps,
its seed steps, its workflows and its header figures:

    class SupervisionConfig(AppConfig):
        name = "supervision"

        def ready(self):
            from campaigns.registry import contribute
            from supervision import clock, dashboard, home, seed, workflows
            from supervision.api import urls as api

            contribute(self, pages="supervision.urls", api_routes=api.routes, nav_template="supervision/_nav.html", …)

The portal reads only from here: the URLconf (:func:`page_url_modules`, :func:`api_routes`), the layout's navigation
and header (``campaigns.context_processors``), the home page, the dashboard, the clock and ``seed_datong``. Apps
contribute in ``INSTALLED_APPS`` order, which is therefore the order of menus, home panels and seed steps.

A contribution of the wrong shape (a sweep that is not callable, a template that does not exist, an unknown key …)
fails ``manage.py check`` with the app's name and the key in the message — see :func:`check_contributions` — rather
than being skipped at run time. Django's app registry and system-check framework do the loading and the reporting; a
home-made module scanner (``import_module`` by name, ``hasattr`` on the result) is what this replaces.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import partial

from django.core import checks
from django.utils import timezone


@dataclass(frozen=True)
class LinkedRecords:
    """Records of one app that point at another app's record (a foreign key on the pointing side), shown on that
    record's page and in its API without the record's app importing the pointing one: the problems raised into a
    supervision card, say. The pointing app contributes one of these; the record's app reads
    :func:`linked_records_for` (its page panel and its API's ``linked`` field).
    """

    #: the record pointed at, ``"app_label.ModelName"``
    model: str
    #: the reverse relation's name on that record, also the key in the API's ``linked`` object
    name: str
    #: the panel's heading on the record's page
    heading: str
    #: the panel's template; its context is ``{"heading": …, "rows": rows(record, user), "record": record}``
    template: str
    #: ``prefetch(user) -> Prefetch`` of the reverse relation, narrowed to what ``user`` may see
    prefetch: Callable
    #: ``rows(record, user) -> [{"id", "label", "status", "status_display", "url"}]``, from the prefetch when made
    rows: Callable


@dataclass(frozen=True)
class Contribution:
    """What one app brings to the portal. Every part is optional; an app offers what it has."""

    app_label: str
    #: dotted path of a module with ``urlpatterns`` for the app's pages, included at the site's root
    pages: str | None = None
    #: (prefix, viewset, basename) for the v1 API's router
    api_routes: Sequence[tuple] = ()
    #: extra ``path()`` entries under ``/api/v1/`` (views that are not viewsets)
    api_urls: Sequence = ()
    #: a template of ``<li class="nav-item">`` entries for the navigation bar
    nav_template: str | None = None
    #: the home page panel: a template and the function that fills it, ``home_context(request) -> dict``
    home_template: str | None = None
    home_context: Callable | None = None
    #: figures beside the bell in every page's header: ``header_context(request) -> dict``
    header_context: Callable | None = None
    #: top-level parts of ``dashboard/summary/``: ``summary_parts(division or None) -> dict``
    summary_parts: Callable | None = None
    #: the cockpit's (驾驶舱) figures, charts and to-do lists: ``cockpit_parts(scope) -> {"figures": [...], "charts":
    #: [...], "todo": [...]}`` for a ``campaigns.cockpit.CockpitScope`` (the city or one division)
    cockpit_parts: Callable | None = None
    #: league-table columns: ``district_columns(divisions, period=None) -> {division_id: {column: value}}``; ``period``
    #: (a ``campaigns.periods.Period`` or None for "as of now") is optional: a provider that does not take it is
    #: called with ``divisions`` only and its figures are the same for every period
    district_columns: Callable | None = None
    #: the calendar: ``{name: sweep(now) -> str}`` and ``[(name, crontab dict, description)]``
    sweeps: Mapping[str, Callable] = field(default_factory=dict)
    schedules: Sequence[tuple] = ()
    #: the app's exportable lists: ``{name: campaigns.exports.ExportSpec}`` (their pages' ``?export=xlsx``)
    exports: Mapping[str, object] = field(default_factory=dict)
    #: lines for headquarters' morning digest (taskforces' ``morning_digest``): ``digest_lines(now) -> list[str]``
    digest_lines: Callable | None = None
    #: seed steps ``step(data, log=…)``; ``seed_scale(data, scale=…, log=…)`` for ``--scale``
    seed_reference: Callable | None = None
    seed_demo: Callable | None = None
    seed_scale: Callable | None = None
    #: the lived-in year behind the demo (``seed_datong --demo`` only, after every app's ``seed_demo``):
    #: ``step(data, log=…)``, deterministic, written in bulk with its transition rows
    seed_history: Callable | None = None
    #: the app's workflows (``campaigns.workflow.Workflow``), for the checks and the table-driven tests
    workflows: Sequence = ()
    #: upper apps this one may import (the layering test reads it): inspections → supervision
    depends_on: Sequence[str] = ()
    #: its records linked to another app's record (:class:`LinkedRecords`): problems on a supervision card
    linked_records: Sequence[LinkedRecords] = ()
    #: what awaits a person in this app, for the one inbox: ``inbox_items(user, limit) -> dict`` (see :func:`inbox`)
    inbox_items: Callable | None = None


_contributions: dict[str, Contribution] = {}
_unknown_keys: dict[str, list[str]] = {}


def contribute(app_config, **parts) -> Contribution:
    """Record what ``app_config``'s app brings. Call it once, from the app's ``ready()``."""
    known = {f.name for f in fields(Contribution)} - {"app_label"}
    unknown = sorted(set(parts) - known)
    contribution = Contribution(app_label=app_config.label, **{k: v for k, v in parts.items() if k in known})
    _contributions[app_config.label] = contribution
    if unknown:
        _unknown_keys[app_config.label] = unknown
    return contribution


def contributions() -> list[Contribution]:
    """Every app's contribution, in ``INSTALLED_APPS`` order."""
    from django.apps import apps

    return [_contributions[c.label] for c in apps.get_app_configs() if c.label in _contributions]


def contribution(app_label: str) -> Contribution | None:
    return _contributions.get(app_label)


# --- what the portal reads ------------------------------------------------------------------------------------------


def page_url_modules() -> list[str]:
    return [c.pages for c in contributions() if c.pages]


def api_routes() -> list[tuple]:
    return [route for c in contributions() for route in c.api_routes]


def api_urls() -> list:
    return [pattern for c in contributions() for pattern in c.api_urls]


def nav_templates() -> list[str]:
    return [c.nav_template for c in contributions() if c.nav_template]


def home_panels(request) -> tuple[list[str], dict]:
    """The home page's panel templates, in order, and the context that fills them: each app's part is the signed-in
    person's own, kept until a write changes it (campaigns/figures.py)."""
    from campaigns import figures

    templates, context = [], {}
    for c in contributions():
        if c.home_context:
            scope = (request.user.pk or "anonymous",)
            context.update(figures.kept(f"home:{c.app_label}", scope, timezone.now(), partial(c.home_context, request)))
        if c.home_template:
            templates.append(c.home_template)
    return templates, context


def header_context(request) -> dict:
    context = {}
    for c in contributions():
        if c.header_context:
            context.update(c.header_context(request))
    return context


def summary_providers() -> list[Callable]:
    return [c.summary_parts for c in contributions() if c.summary_parts]


def cockpit_providers() -> list[Callable]:
    return [c.cockpit_parts for c in contributions() if c.cockpit_parts]


def district_column_providers() -> list[Callable]:
    return [c.district_columns for c in contributions() if c.district_columns]


def exports() -> dict:
    found = {}
    for c in contributions():
        found.update(c.exports)
    return found


def digest_providers() -> list[Callable]:
    return [c.digest_lines for c in contributions() if c.digest_lines]


def sweeps() -> dict[str, Callable]:
    found = {}
    for c in contributions():
        found.update(c.sweeps)
    return found


def schedules() -> list[tuple]:
    return [entry for c in contributions() for entry in c.schedules]


def workflows() -> list:
    return [workflow for c in contributions() for workflow in c.workflows]


def linked_records_for(model_label: str) -> list[LinkedRecords]:
    """What other apps link to records of ``model_label`` (``"supervision.SupervisionCard"``)."""
    return [link for c in contributions() for link in c.linked_records if link.model == model_label]


def prefetch_linked(queryset, user):
    """``queryset`` with the records other apps link to its rows prefetched, narrowed to what ``user`` may see."""
    for link in linked_records_for(queryset.model._meta.label):
        queryset = queryset.prefetch_related(link.prefetch(user))
    return queryset


def linked_panels(request, record) -> list:
    """The rendered panels of the records linked to ``record``, for its page (each app's template)."""
    from django.template.loader import render_to_string

    panels = []
    for link in linked_records_for(record._meta.label):
        rows = link.rows(record, request.user)
        panels.append(
            render_to_string(link.template, {"heading": link.heading, "rows": rows, "record": record}, request)
        )
    return panels


def inbox(user, limit: int = 100) -> dict:
    """Everything awaiting ``user`` across the apps, for the one inbox (我的待办).

    Each app's ``inbox_items(user, limit)`` answers ``{"kind": 类别, "total": n, "url": its own full list, "items":
    [the ``limit`` most urgent]}``, each item a dict with ``kind``, ``title``, ``subtitle``, ``url``, ``status``,
    ``status_display``, ``deadline`` (a date or None), ``is_overdue`` and ``days_overdue``. The answer merges them,
    overdue first, then by deadline: ``{"sections": [...], "items": [...], "total": n, "shown": m}``.
    """
    from datetime import date

    sections = [c.inbox_items(user, limit) for c in contributions() if c.inbox_items]
    items = [item for section in sections for item in section["items"]]
    items.sort(key=lambda item: (not item["is_overdue"], item["deadline"] or date.max, item["kind"], item["title"]))
    return {
        "sections": sections,
        "items": items,
        "total": sum(section["total"] for section in sections),
        "shown": len(items),
    }


def workflow_for(obj):
    """The workflow declared for ``obj``'s model, or None."""
    label = obj._meta.label
    return next((w for w in workflows() if w.model == label), None)


# --- the system check -----------------------------------------------------------------------------------------------


def _error(app_label: str, key: str, message: str) -> checks.Error:
    return checks.Error(f"应用 {app_label} 的门户登记项 {key!r} 有误：{message}", id="portal.E001", obj=app_label)


def _check_one(c: Contribution) -> list[checks.CheckMessage]:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    from campaigns.workflow import Workflow

    errors = [_error(c.app_label, key, "未知的登记项") for key in _unknown_keys.get(c.app_label, [])]
    for key in (
        "home_context",
        "header_context",
        "summary_parts",
        "cockpit_parts",
        "district_columns",
        "digest_lines",
        "inbox_items",
    ):
        value = getattr(c, key)
        if value is not None and not callable(value):
            errors.append(_error(c.app_label, key, "应为可调用对象"))
    for key in ("seed_reference", "seed_demo", "seed_scale", "seed_history"):
        value = getattr(c, key)
        if value is not None and not callable(value):
            errors.append(_error(c.app_label, key, "应为可调用对象"))
    if c.pages is not None and not isinstance(c.pages, str):
        errors.append(_error(c.app_label, "pages", "应为含 urlpatterns 的模块路径字符串"))
    elif c.pages:
        from importlib import import_module

        try:
            module = import_module(c.pages)
        except ImportError as error:
            errors.append(_error(c.app_label, "pages", f"无法导入：{error}"))
        else:
            if not isinstance(getattr(module, "urlpatterns", None), list):
                errors.append(_error(c.app_label, "pages", "模块没有 urlpatterns 列表"))
    for route in c.api_routes:
        if not (
            isinstance(route, tuple) and len(route) == 3 and isinstance(route[0], str) and isinstance(route[2], str)
        ):
            errors.append(_error(c.app_label, "api_routes", f"{route!r} 应为 (前缀, 视图集, basename)"))
        elif not isinstance(route[1], type):
            errors.append(_error(c.app_label, "api_routes", f"{route[0]} 的视图集应为类"))
    for key in ("nav_template", "home_template"):
        name = getattr(c, key)
        if name is None:
            continue
        try:
            get_template(name)
        except TemplateDoesNotExist:
            errors.append(_error(c.app_label, key, f"模板 {name} 不存在"))
    if (c.home_template is None) != (c.home_context is None):
        errors.append(_error(c.app_label, "home_template", "home_template 与 home_context 应同时提供"))
    if not isinstance(c.sweeps, Mapping):
        errors.append(_error(c.app_label, "sweeps", "应为 {名称: 函数}"))
    else:
        for name, sweep in c.sweeps.items():
            if not isinstance(name, str) or not callable(sweep):
                errors.append(_error(c.app_label, "sweeps", f"{name!r} 应对应一个可调用的函数"))
        for entry in c.schedules:
            if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[1], dict)):
                errors.append(_error(c.app_label, "schedules", f"{entry!r} 应为 (名称, crontab 字典, 说明)"))
            elif entry[0] not in c.sweeps:
                errors.append(_error(c.app_label, "schedules", f"{entry[0]!r} 不是本应用登记的日历任务"))
    for link in c.linked_records:
        if not isinstance(link, LinkedRecords):
            errors.append(_error(c.app_label, "linked_records", f"{link!r} 不是 LinkedRecords"))
            continue
        if not (callable(link.prefetch) and callable(link.rows)):
            errors.append(_error(c.app_label, "linked_records", f"{link.name} 的 prefetch 与 rows 应为可调用对象"))
        try:
            get_template(link.template)
        except TemplateDoesNotExist:
            errors.append(_error(c.app_label, "linked_records", f"模板 {link.template} 不存在"))
    for workflow in c.workflows:
        if not isinstance(workflow, Workflow):
            errors.append(_error(c.app_label, "workflows", f"{workflow!r} 不是 Workflow"))
        else:
            errors += [_error(c.app_label, "workflows", problem) for problem in workflow.problems()]
    return errors


@checks.register()
def check_contributions(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every contribution has the right shape, and no two apps claim the same sweep or API prefix."""
    errors = []
    seen_sweeps: dict[str, str] = {}
    seen_prefixes: dict[str, str] = {}
    for c in contributions():
        errors += _check_one(c)
        for name in c.sweeps if isinstance(c.sweeps, Mapping) else ():
            if name in seen_sweeps:
                errors.append(_error(c.app_label, "sweeps", f"{name!r} 已由 {seen_sweeps[name]} 登记"))
            seen_sweeps[name] = c.app_label
        for route in c.api_routes:
            prefix = route[0] if isinstance(route, tuple) and route else None
            if prefix in seen_prefixes:
                errors.append(_error(c.app_label, "api_routes", f"{prefix!r} 已由 {seen_prefixes[prefix]} 登记"))
            seen_prefixes[prefix] = c.app_label
    return errors
