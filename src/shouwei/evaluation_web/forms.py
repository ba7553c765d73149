"""The evaluation form: a peer group, a period, indicators with direction and basis per
indicator, and the method. Per-indicator fields are generated, named ``direction_<code>`` and
``basis_<code>``, with defaults from the catalogue (Indicator.direction)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shouwei.core.models import PeerGroup
from shouwei.core.periods import Period, PeriodError
from shouwei.evaluation import EvaluationError
from shouwei.indicators.choices import Direction, RankBasis

from .choices import Method, MissingPolicy, Normalisation, WeightMethod
from .models import EvaluationRun
from .selectors import IndicatorChoice, default_basis, indicators_for_form
from .services import MAX_MC_DRAWS, parse_expert_weights

DIRECTION_CHOICES = [
    (Direction.HIGHER, _("正向（越高越好）")),
    (Direction.LOWER, _("逆向（越低越好）")),
]


class EvaluationForm(forms.Form):
    name = forms.CharField(
        label=_("方案名称"),
        max_length=100,
        required=False,
        help_text=_("便于在已保存方案中辨认，如 五区两园上半年经济运行"),
    )
    group = forms.ModelChoiceField(
        label=_("比较组"),
        queryset=PeerGroup.objects.none(),
        help_text=_("参与比较的单位；按期间所在年度的成员计算"),
    )
    period = forms.CharField(
        label=_("期间"),
        max_length=10,
        help_text=_("如 2022H1（上半年）、2022-06（1—6月）；累计月度数据可代表同期末的半年或季度"),
    )
    indicators = forms.MultipleChoiceField(
        label=_("指标"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("至少选 2 个；每个指标可设方向和按总量或增速比较"),
        error_messages={"required": _("请至少选择 2 个指标")},
    )
    method = forms.ChoiceField(
        label=_("集成方法"),
        choices=Method.choices,
        initial=Method.WEIGHTED_SUM,
        help_text=_("把各指标标准化后的得分合成为综合得分的方法"),
    )
    normalisation = forms.ChoiceField(
        label=_("标准化方法"),
        choices=Normalisation.choices,
        required=False,
        help_text=_("留空则用该方法的惯用标准化：TOPSIS 用向量标准化，几何平均用功效系数"),
    )
    weights = forms.ChoiceField(
        label=_("权重"),
        choices=WeightMethod.choices,
        initial=WeightMethod.EQUAL,
        help_text=_("等权、客观赋权（熵权、CRITIC、标准差）或专家权重"),
    )
    expert_weights = forms.CharField(
        label=_("专家权重"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "权重选“专家权重”时填写，每项“指标代码:权重”，逗号或换行分隔，"
            "如 gdp:0.4, industrial_va:0.6；合计不为 1 时按比例归一并提示"
        ),
    )
    missing = forms.ChoiceField(
        label=_("缺失值处理"),
        choices=MissingPolicy.choices,
        initial=MissingPolicy.REFUSE,
        help_text=_("有单位缺某个指标时如何处理；剔除或插补都会在结果中逐项列明"),
    )
    mc_draws = forms.IntegerField(
        label=_("蒙特卡洛抽样次数"),
        min_value=0,
        max_value=MAX_MC_DRAWS,
        initial=1000,
        help_text=_("0 表示不做不确定性分析；最多 5000 次"),
        error_messages={
            "max_value": _("蒙特卡洛抽样次数最多 %(limit_value)s 次"),
            "min_value": _("蒙特卡洛抽样次数不能为负数"),
            "invalid": _("蒙特卡洛抽样次数须为整数"),
        },
    )
    seed = forms.IntegerField(
        label=_("随机种子"),
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text=_("留空则随机生成并随方案保存；同一种子、同一数据得到同一结果"),
    )
    target_rank = forms.IntegerField(
        label=_("目标名次 k"),
        min_value=1,
        initial=2,
        help_text=_("计算 P(名次≤k)：保二争一填 2"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = PeerGroup.objects.visible_to(user)
        self.catalogue = list(indicators_for_form(user))
        self.fields["indicators"].choices = [(i.code, i.display_name) for i in self.catalogue]
        for ind in self.catalogue:
            self.fields[f"direction_{ind.code}"] = forms.ChoiceField(
                label=_("%(name)s 方向") % {"name": ind.display_name},
                choices=DIRECTION_CHOICES,
                initial=ind.direction,
                required=False,
                help_text=_("默认取指标目录中的方向"),
            )
            self.fields[f"basis_{ind.code}"] = forms.ChoiceField(
                label=_("%(name)s 比较依据") % {"name": ind.display_name},
                choices=RankBasis.choices,
                initial=default_basis(ind),
                required=False,
                help_text=_("按总量（数值）还是按同比增速比较"),
            )

    @classmethod
    def initial_from_run(cls, run: EvaluationRun) -> dict:
        """The form filled in with a saved run's parameters (seed included)."""
        initial = {
            "name": run.name,
            "group": run.group_id,
            "period": run.period,
            "indicators": run.indicator_codes,
            "method": run.method,
            "normalisation": run.normalisation,
            "weights": run.weights.get("kind"),
            "expert_weights": ", ".join(
                f"{code}:{w:g}" for code, w in run.weights.get("weights", {}).items()
            ),
            "missing": run.missing,
            "mc_draws": run.mc_draws,
            "seed": run.seed,
            "target_rank": run.target_rank,
        }
        for row in run.indicators:
            initial[f"direction_{row['code']}"] = (
                Direction.LOWER if row["direction"] < 0 else Direction.HIGHER
            )
            initial[f"basis_{row['code']}"] = row["basis"]
        return initial

    def head_fields(self) -> list:
        return [self[name] for name in ("name", "group", "period")]

    def option_fields(self) -> list:
        names = ("method", "normalisation", "weights", "missing", "mc_draws", "seed", "target_rank")
        return [self[name] for name in names]

    def indicator_rows(self):
        """(indicator, checkbox, direction field, basis field) per catalogue indicator."""
        boxes = {str(b.data["value"]): b for b in self["indicators"]}
        return [
            (ind, boxes[ind.code], self[f"direction_{ind.code}"], self[f"basis_{ind.code}"])
            for ind in self.catalogue
        ]

    def clean_period(self) -> str:
        try:
            return Period.parse(self.cleaned_data["period"].strip()).code
        except PeriodError as exc:
            raise ValidationError(str(exc)) from exc

    def clean_indicators(self) -> list[str]:
        codes = self.cleaned_data["indicators"]
        if len(codes) < 2:
            raise ValidationError(
                _("综合评价至少需要 2 个指标，当前只选了 %(n)s 个") % {"n": len(codes)}
            )
        return codes

    def clean(self) -> dict:
        data = super().clean()
        if data.get("weights") == WeightMethod.EXPERT and data.get("indicators"):
            try:
                data["expert"] = parse_expert_weights(
                    data.get("expert_weights", ""), list(data["indicators"])
                )
            except EvaluationError as exc:
                self.add_error("expert_weights", str(exc))
        return data

    def choices(self) -> list[IndicatorChoice]:
        """The chosen indicators; a direction or basis left unset takes the catalogue's."""
        catalogue = {ind.code: ind for ind in self.catalogue}
        out = []
        for code in self.cleaned_data["indicators"]:
            direction = self.cleaned_data.get(f"direction_{code}") or catalogue[code].direction
            basis = self.cleaned_data.get(f"basis_{code}") or default_basis(catalogue[code])
            out.append(
                IndicatorChoice(
                    code=code, direction=-1 if direction == Direction.LOWER else 1, basis=basis
                )
            )
        return out

    def weights_spec(self) -> dict:
        if self.cleaned_data["weights"] == WeightMethod.EXPERT:
            return {"kind": "expert", "weights": self.cleaned_data["expert"]}
        return {"kind": self.cleaned_data["weights"]}
