"""Apps add their demo data through the demo registry: discovered, ordered, refused when wrong."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from shouwei.demo import registry
from shouwei.demo.loader import load_hengyang
from shouwei.demo.registry import DemoLoader, demo_loaders, in_order, register_demo_loader


def _loader(name, *after):
    return DemoLoader(name=name, func=lambda ctx: None, after=after)


def test_every_app_with_demo_data_is_discovered():
    assert [loader.name for loader in demo_loaders()] == [
        "evaluation",
        "portal",
        "projects",
        "enterprises",
        "investment",
        "supervision",
    ]


def test_loaders_run_after_what_they_name_and_otherwise_by_name():
    order = in_order([_loader("b"), _loader("a", "c"), _loader("c")])
    assert [loader.name for loader in order] == ["b", "c", "a"]


def test_a_loader_waiting_for_an_unregistered_one_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'a' runs after missing"):
        in_order([_loader("a", "missing")])


def test_loaders_waiting_for_each_other_are_refused():
    with pytest.raises(ImproperlyConfigured, match="wait for each other: a, b"):
        in_order([_loader("a", "b"), _loader("b", "a"), _loader("c")])


def test_a_second_function_under_a_registered_name_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "_registry", {})

    @register_demo_loader("twice")
    def first(ctx):
        return None

    def second(ctx):
        return None

    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        register_demo_loader("twice")(second)


def _all_business_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m.__module__.startswith("shouwei.") and not m._meta.model_name.startswith("historical")
    }


def test_loading_again_creates_nothing_in_any_app(demo):
    before = _all_business_counts()
    report = load_hengyang()
    assert _all_business_counts() == before
    assert not any(report.created.values()), report.created
    # Every app's loader reported into the same summary.
    assert {"key projects", "portal articles", "units"} <= set(report.created)
