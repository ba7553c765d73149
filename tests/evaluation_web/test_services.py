"""run_evaluation saves every parameter and the seed; a saved run reproduces exactly."""

import pytest

from shouwei.core.models import PeerGroup
from shouwei.evaluation import EvaluationError
from shouwei.evaluation_web.demo import DEMO_INDICATORS
from shouwei.evaluation_web.models import EvaluationRun
from shouwei.evaluation_web.selectors import IndicatorChoice
from shouwei.evaluation_web.services import (
    parse_expert_weights,
    rerun_evaluation,
    run_evaluation,
)

pytestmark = pytest.mark.django_db


def _run(user, **options):
    return run_evaluation(
        user=user,
        group=PeerGroup.objects.get(code="hy-5d2p"),
        period="2022H1",
        indicators=[IndicatorChoice(code, 1, "growth") for code in DEMO_INDICATORS],
        **options,
    )


def test_a_saved_run_reruns_to_identical_results(demo):
    run = _run(
        demo["leader"],
        method="topsis",
        normalisation="minmax",
        weights={"kind": "entropy"},
        mc_draws=300,
    )
    again = rerun_evaluation(user=demo["leader"], run=run)
    assert again.pk != run.pk and again.rerun_of == run and again.seed == run.seed
    assert again.results == run.results
    assert (again.method, again.weights, again.indicators) == (
        "topsis",
        {"kind": "entropy"},
        run.indicators,
    )


def test_a_departments_run_is_saved_at_the_department_not_its_zone_with_history(demo):
    """Issue 10, finding 3: a department's run was saved at the zone, where it may not add."""
    run = _run(demo["staff_cyfz"], mc_draws=0)
    assert run.unit.code == "hy-gxq-cyfz" and run.created_by == demo["staff_cyfz"]
    assert run.history.count() == 1
    assert run.results["uncertainty"] is None and run.results["what_it_takes"] is not None


def test_a_different_seed_is_a_different_draw(demo):
    a = _run(demo["leader"], mc_draws=500, seed=1)
    b = _run(demo["leader"], mc_draws=500, seed=2)
    assert a.results["scores"] == b.results["scores"]
    assert a.results["uncertainty"]["p_first"] != b.results["uncertainty"]["p_first"]


def test_too_many_draws_and_too_few_indicators_are_refused_before_any_work(demo):
    with pytest.raises(EvaluationError, match="5000"):
        _run(demo["leader"], mc_draws=10**9)
    with pytest.raises(EvaluationError, match="至少需要 2 个指标"):
        run_evaluation(
            user=demo["leader"],
            group=PeerGroup.objects.get(code="hy-5d2p"),
            period="2022H1",
            indicators=[IndicatorChoice("gdp", 1, "growth")],
        )
    assert not EvaluationRun.objects.filter(created_by=demo["leader"]).exists()


def test_target_rank_beyond_the_units_is_refused(demo):
    with pytest.raises(EvaluationError, match="目标名次"):
        _run(demo["leader"], target_rank=99)


def test_expert_weights_text_accepts_chinese_punctuation():
    assert parse_expert_weights("a：1；b:2，c:0.5", ["a", "b", "c"]) == {
        "a": 1.0,
        "b": 2.0,
        "c": 0.5,
    }


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a:1, a:2", "出现了两次"),
        ("a:-1, b:1", "非负"),
        ("a:inf, b:1", "非负的有限数"),
        ("a 1, b:1", "格式不对"),
    ],
)
def test_bad_expert_weights_text_names_the_fault(text, fragment):
    with pytest.raises(EvaluationError, match=fragment):
        parse_expert_weights(text, ["a", "b"])


def test_engine_messages_name_units_and_indicators_in_chinese(demo):
    # Growth can be negative; the vector (L2) scale refuses it, naming the cell.
    with pytest.raises(EvaluationError, match=r"指标「社零总额」在单位「[^a-z]+」处为 -"):
        _run(demo["leader"], method="topsis", normalisation="vector")
