"""Cockpit panels are registered by the apps that own them; the cockpit shows a panel only to
those who may read its data, and imports no domain app."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

import shouwei
from shouwei.core import panels
from shouwei.core.choices import Role
from shouwei.core.periods import Period
from tests.factories import RoleFactory, UnitFactory, UserFactory

COCKPIT = reverse("indicators:cockpit") + "?unit=hy-gxq&period=2022-06"
# Apps that plug into the foundation; the foundation (core, indicators) imports none of them.
DOMAIN_APPS = ("projects", "portal", "evaluation_web", "investment", "enterprises", "supervision")


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, the real one back afterwards."""
    monkeypatch.setattr(panels, "_registry", {})
    return panels


def _context(**data):
    return lambda *, user, unit, period: data


def test_panels_show_in_weight_order_with_their_data(registry, db):
    registry.register_cockpit_panel(
        "b", title="B", weight=20, template="b.html", context=_context(n=2)
    )
    registry.register_cockpit_panel(
        "a", title="A", weight=10, template="a.html", context=_context(n=1)
    )
    shown = registry.panels_for(user=UserFactory(), unit=UnitFactory(), period=Period.parse("2022"))
    assert [(p.key, p.title, p.template, p.data) for p in shown] == [
        ("a", "A", "a.html", {"n": 1}),
        ("b", "B", "b.html", {"n": 2}),
    ]


def test_a_panel_with_nothing_to_show_is_left_out(registry, db):
    registry.register_cockpit_panel(
        "empty", title="E", weight=1, template="e.html", context=lambda **_kw: None
    )
    assert (
        registry.panels_for(user=UserFactory(), unit=UnitFactory(), period=Period.parse("2022"))
        == []
    )


def test_a_panel_for_some_roles_is_shown_to_those_roles_only(registry, db):
    unit = UnitFactory()
    registry.register_cockpit_panel(
        "lead", title="L", weight=1, template="l.html", context=_context(), roles=(Role.LEADER,)
    )
    leader = RoleFactory(user=UserFactory(), unit=unit, role=Role.LEADER).user
    staff = RoleFactory(user=UserFactory(), unit=unit, role=Role.STAFF).user
    period = Period.parse("2022")
    assert [p.key for p in registry.panels_for(user=leader, unit=unit, period=period)] == ["lead"]
    assert registry.panels_for(user=staff, unit=unit, period=period) == []


def test_the_context_gets_the_user_unit_and_period(registry, db):
    seen = {}

    def context(*, user, unit, period):
        seen.update(user=user, unit=unit, period=period)
        return {}

    registry.register_cockpit_panel("x", title="X", weight=1, template="x.html", context=context)
    user, unit, period = UserFactory(), UnitFactory(), Period.parse("2022-06")
    registry.panels_for(user=user, unit=unit, period=period)
    assert seen == {"user": user, "unit": unit, "period": period}


def test_registering_a_key_twice_is_refused_unless_it_is_the_same_panel(registry):
    context = _context()
    registry.register_cockpit_panel("k", title="K", weight=1, template="k.html", context=context)
    registry.register_cockpit_panel("k", title="K", weight=1, template="k.html", context=context)
    with pytest.raises(ImproperlyConfigured, match="'k'"):
        registry.register_cockpit_panel(
            "k", title="K2", weight=1, template="k.html", context=context
        )


def test_the_projects_app_registers_its_panel_from_its_own_module():
    [panel] = [p for p in panels.cockpit_panels() if p.key == "projects"]
    assert panel.context.__module__ == "shouwei.projects.panels"


def test_the_cockpit_shows_the_projects_panel_to_a_leader(client_for):
    response = client_for("leader").get(COCKPIT)
    # Other apps add theirs after it, by weight (investment, enterprise service, supervision).
    assert next(p.key for p in response.context["panels"]) == "projects"
    assert 'id="projects-panel-title"' in response.content.decode()


def test_the_projects_panel_is_not_shown_to_one_who_may_read_no_project(client_for):
    # An enterprise contact reads none of the zone's projects: the panel is left out.
    response = client_for("enterprise").get(COCKPIT)
    assert response.status_code == 200
    assert response.context["panels"] == []
    assert 'id="projects-panel-title"' not in response.content.decode()


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_cockpit_imports_no_domain_app():
    indicators = Path(shouwei.__file__).parent / "indicators"
    offenders = {
        f"{path.relative_to(indicators.parent)}: {module}"
        for path in indicators.rglob("*.py")
        for module in _imported_modules(path)
        if any(module.startswith(f"shouwei.{app}") for app in DOMAIN_APPS)
    }
    assert not offenders, sorted(offenders)
