"""The query-count helpers themselves: a check that cannot fail would pin nothing."""

import json

import pytest

from shouwei.core.models import Unit
from shouwei.core.testing import (
    RECORD_ENV_VAR,
    QueryCountMismatch,
    assert_queries_constant,
    assert_query_count,
)
from tests.factories import UnitFactory


def _two_queries():
    list(Unit.objects.all())
    Unit.objects.count()


@pytest.fixture
def baseline(tmp_path, monkeypatch):
    monkeypatch.delenv(RECORD_ENV_VAR, raising=False)
    path = tmp_path / "query_counts.json"
    path.write_text(json.dumps({"other": 7, "units": 2}))
    return path


def test_matching_count_passes(db, baseline):
    with assert_query_count("units", baseline):
        _two_queries()


def test_a_different_count_fails_and_lists_the_queries(db, baseline):
    with pytest.raises(QueryCountMismatch) as exc, assert_query_count("units", baseline):
        list(Unit.objects.all())
    assert "ran 1 queries, baseline 2" in str(exc.value)
    assert "core_unit" in str(exc.value)


def test_a_name_without_baseline_fails(db, baseline):
    with (
        pytest.raises(QueryCountMismatch, match="no query-count baseline"),
        assert_query_count("new-page", baseline),
    ):
        _two_queries()


def test_recording_writes_the_count_and_keeps_other_entries(db, baseline, monkeypatch):
    monkeypatch.setenv(RECORD_ENV_VAR, "1")
    with assert_query_count("units", baseline):
        list(Unit.objects.all())
    with assert_query_count("new-page", baseline):
        _two_queries()
    assert json.loads(baseline.read_text()) == {"new-page": 2, "other": 7, "units": 1}


def test_recording_creates_the_file(db, tmp_path, monkeypatch):
    monkeypatch.setenv(RECORD_ENV_VAR, "1")
    path = tmp_path / "app" / "query_counts.json"
    with assert_query_count("units", path):
        _two_queries()
    assert json.loads(path.read_text()) == {"units": 2}


def test_a_query_per_row_is_caught(db):
    UnitFactory(parent=UnitFactory())

    def per_row():
        return [u.parent for u in Unit.objects.all()]

    with pytest.raises(QueryCountMismatch, match="grew with the rows"):
        assert_queries_constant(per_row, lambda: UnitFactory(parent=UnitFactory()))


def test_select_related_keeps_the_count_constant(db):
    UnitFactory(parent=UnitFactory())

    def joined():
        return [u.parent for u in Unit.objects.select_related("parent")]

    assert assert_queries_constant(joined, lambda: UnitFactory(parent=UnitFactory())) == 1
