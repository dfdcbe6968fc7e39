"""The house's wiring: floors that hold, and contributions that fail ``manage.py check`` when malformed."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from campaigns import registry

ROOT = Path(__file__).resolve().parents[1]
UPPER_APPS = {"taskforces", "supervision", "inspections", "volunteers"}
PROJECT = "datong_portal"


def _imported_top_levels(package: str) -> dict[str, set[str]]:
    """Module path → the top-level packages its ``import`` statements name (lazy imports inside functions too)."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_ground_floor_imports_no_app_above_it_nor_the_project():
    offenders = {
        module: sorted(names & (UPPER_APPS | {PROJECT}))
        for module, names in _imported_top_levels("campaigns").items()
        if names & (UPPER_APPS | {PROJECT})
    }
    assert offenders == {}


@pytest.mark.parametrize("app", sorted(UPPER_APPS))
def test_upper_apps_import_each_other_only_where_a_dependency_is_declared(app):
    contribution = registry.contribution(app)
    assert contribution is not None, f"{app} contributes nothing in its AppConfig.ready()"
    allowed = {app, *contribution.depends_on}
    offenders = {
        module: sorted((names & UPPER_APPS) - allowed)
        for module, names in _imported_top_levels(app).items()
        if (names & UPPER_APPS) - allowed or PROJECT in names
    }
    assert offenders == {}


def test_every_portal_app_contributes_and_the_house_passes_its_checks():
    labels = [c.app_label for c in registry.contributions()]
    assert labels == ["campaigns", "taskforces", "supervision", "inspections", "volunteers", "briefing"]
    assert registry.check_contributions() == []


def test_menus_and_sweeps_come_from_the_contributions():
    assert registry.nav_templates()[0] == "campaigns/_nav.html"
    assert {"reports_open", "supervision-escalation"} <= set(registry.sweeps())


@pytest.fixture
def malformed_app():
    """A contribution with a sweep that is not a function, a missing template and a key nobody knows."""
    config = apps.get_app_config("inspections")
    original = registry.contribution("inspections")
    registry.contribute(
        config,
        nav_template="inspections/_no_such_menu.html",
        sweeps={"inspections-sweep": "not a function"},
        home_panel="misspelt key",
    )
    yield config
    registry._unknown_keys.pop("inspections", None)
    registry._contributions["inspections"] = original


def test_a_malformed_contribution_fails_manage_py_check_with_its_name(malformed_app):
    messages = [str(error.msg) for error in registry.check_contributions() if error.level >= checks.ERROR]
    assert any("inspections" in m and "home_panel" in m and "未知" in m for m in messages)
    assert any("inspections" in m and "sweeps" in m and "inspections-sweep" in m for m in messages)
    assert any("inspections" in m and "_no_such_menu.html" in m for m in messages)
    with pytest.raises(SystemCheckError, match="inspections"):
        call_command("check")
