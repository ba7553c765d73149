"""Options of the evaluation page, with the Chinese labels the engine uses in its messages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    WEIGHTED_SUM = "weighted_sum", _("加权算术平均（线性加权和）")
    GEOMETRIC = "geometric", _("加权几何平均")
    TOPSIS = "topsis", _("TOPSIS（逼近理想解排序法）")
    VIKOR = "vikor", _("VIKOR（多准则妥协排序法）")
    EFFICACY = "efficacy", _("功效系数法")


class Normalisation(models.TextChoices):
    DEFAULT = "", _("按集成方法默认")
    MINMAX = "minmax", _("最小-最大标准化")
    ZSCORE = "zscore", _("Z 分数标准化")
    VECTOR = "vector", _("向量（L2）标准化")
    RANK = "rank", _("排序标准化")
    EFFICACY = "efficacy", _("功效系数标准化（60–100）")


class WeightMethod(models.TextChoices):
    EQUAL = "equal", _("等权")
    ENTROPY = "entropy", _("熵权法")
    CRITIC = "critic", _("CRITIC 法")
    STD = "std", _("标准差法")
    EXPERT = "expert", _("专家权重")


class MissingPolicy(models.TextChoices):
    REFUSE = "refuse", _("拒绝：有缺失即报错")
    DROP_INDICATOR = "drop_indicator", _("剔除含缺失值的指标")
    IMPUTE_MEAN = "impute_mean", _("以同组均值插补")
