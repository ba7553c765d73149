"""The demo's saved scheme: 五区两园 at 2022H1 over the four 经济运行 indicators the city ranks
the zones on (seed/FACTS.md), by growth. The peers' figures are the demo's 模拟数据, so the run
is flagged synthetic and the page says so."""

from __future__ import annotations

from shouwei.core.models import PeerGroup, Unit
from shouwei.demo.registry import DemoContext, register_demo_loader

from .models import EvaluationRun
from .selectors import IndicatorChoice
from .services import save_platform_evaluation

DEMO_NAME = "五区两园上半年经济运行综合评价（演示）"
DEMO_INDICATORS = ("gdp", "industrial_va", "service_revenue", "retail_sales")
DEMO_SEED = 20220630


@register_demo_loader("evaluation")
def save_demo_evaluation(ctx: DemoContext) -> EvaluationRun | None:
    """Save the demo scheme once (idempotent, like the rest of the loader). Without the
    synthetic peers only the zone has figures, and there is nothing to compare."""
    if not ctx.synthetic:
        return None
    existing = EvaluationRun.objects.filter(name=DEMO_NAME, created_by=None).first()
    if existing is not None:
        return existing
    return save_platform_evaluation(
        group=PeerGroup.objects.get(code="hy-5d2p"),
        period="2022H1",
        indicators=[IndicatorChoice(code, 1, "growth") for code in DEMO_INDICATORS],
        unit=Unit.objects.get(code="hy-gxq"),
        name=DEMO_NAME,
        method="weighted_sum",
        normalisation="",
        weights={"kind": "equal"},
        missing="refuse",
        mc_draws=1000,
        seed=DEMO_SEED,
        target_rank=2,
    )
