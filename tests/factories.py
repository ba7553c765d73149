"""factory_boy factories for every model tests need; apps add theirs here."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from shouwei.core.choices import Role, UnitKind
from shouwei.core.models import PeerGroup, PeerGroupMembership, RoleAssignment, Unit
from shouwei.indicators.choices import Category, ObservationStatus
from shouwei.indicators.models import Indicator, Observation, Target


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or "pw-for-tests-123")
        if create:
            user.save(update_fields=["password"])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = UnitKind.ZONE
    parent = None


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"比较组{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroupMembership

    group = factory.SubFactory(PeerGroupFactory)
    unit = factory.SubFactory(UnitFactory)
    year = 2022


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.STAFF


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ind-{n}")
    name = factory.Sequence(lambda n: f"指标{n}")
    measure = "亿元"
    category = Category.ECONOMY


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    unit = factory.SubFactory(UnitFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    period = "2022-06"
    value = Decimal("10")
    status = ObservationStatus.APPROVED


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    unit = factory.SubFactory(UnitFactory)
    year = 2022
    name = factory.Sequence(lambda n: f"目标{n}")
    kind = "rank"
    floor_rank = 2


def user_with_role(role: str, unit: Unit, **kwargs):
    user = UserFactory(**kwargs)
    # get_or_create: the demo (loaded once per session) may already hold this assignment.
    RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    return user


# --- enterprises (issue 13) --------------------------------------------------------------------
def valid_uscc(n: int) -> str:
    """A well-formed 统一社会信用代码 numbered ``n`` (91 = enterprise, 430400 = 衡阳市)."""
    from shouwei.enterprises.uscc import check_character

    body = f"91430400{n:09d}"
    return body + check_character(body)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "enterprises.Enterprise"

    uscc = factory.Sequence(lambda n: valid_uscc(900_000_000 + n))
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    industry = "C39"
    scale = "above"
    is_key = True
    street = factory.LazyFunction(lambda: Unit.objects.get(code="hy-gxq-hx"))
    liaison_unit = factory.LazyFunction(lambda: Unit.objects.get(code="hy-gxq-cyfz"))


# --- supervision (督查绩效) ---------------------------------------------------------------------
class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "supervision.Goal"

    unit = factory.LazyFunction(lambda: Unit.objects.get(code="hy-gxq"))
    year = 2022
    code = factory.Sequence(lambda n: f"t{n}")
    title = factory.Sequence(lambda n: f"目标{n}")
    source = "7月29日上半年经济形势分析暨下半年经济工作部署会"
    responsible_leader = "管委会负责人"


class TaskBookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "supervision.TaskBook"

    goal = factory.SubFactory(GoalFactory)
    lead_unit = factory.LazyFunction(lambda: Unit.objects.get(code="hy-gxq-cyfz"))
    leader = "管委会负责人"
    measures = "挂图作战，按月调度"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "supervision.Milestone"

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"节点{n}")
    deliverable = "成果材料"
    due = factory.LazyFunction(lambda: __import__("datetime").date(2022, 8, 31))
    weight = Decimal(1)
    lead_unit = factory.LazyFunction(lambda: Unit.objects.get(code="hy-gxq-cyfz"))


class SupervisionNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "supervision.SupervisionNotice"

    unit = factory.LazyFunction(lambda: Unit.objects.get(code="hy-gxq-cyfz"))
    issuer = "衡阳高新区督查绩效办公室"
    task = "综保区外贸破零"
    reason = "节点已逾期"
    deadline = factory.LazyFunction(lambda: __import__("datetime").date(2022, 9, 10))


class PerformanceSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "supervision.PerformanceScheme"

    unit = factory.LazyFunction(lambda: Unit.objects.get(code="hy-gxq"))
    year = 2022
    name = factory.Sequence(lambda n: f"考评方案{n}")


class SchemeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "supervision.SchemeItem"

    scheme = factory.SubFactory(PerformanceSchemeFactory)
    kind = "score"
    rule = "milestone_on_time"
    name = factory.Sequence(lambda n: f"考核项{n}")
    weight = Decimal(100)


# --- investment ----------------------------------------------------------------------------------
def _jjhz():
    return Unit.objects.get(code="hy-gxq-jjhz")


def _early_2022():
    from datetime import date

    return date(2022, 1, 10)


class LeadFactory(factory.django.DjangoModelFactory):
    """An open lead of 经济合作局 at 线索 (the demo's units), via 以商招商 (no source needed)."""

    class Meta:
        model = "investment.Lead"

    project_name = factory.Sequence(lambda n: f"测试项目{n:05d}号")
    investor = factory.Sequence(lambda n: f"测试投资方{n:05d}有限公司")
    channel = "business"
    industry = "C39"
    planned_investment = Decimal("30000")
    land_mu = Decimal("100")
    expected_tax = Decimal("2000")
    lead_on = factory.LazyFunction(_early_2022)
    owner_unit = factory.LazyFunction(_jjhz)


class ThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "investment.AdmissionThreshold"
        django_get_or_create = ("owner_unit", "year")

    year = 2022
    min_intensity = Decimal("300")
    min_tax_per_mu = Decimal("15")
    max_energy = Decimal("5000")
    owner_unit = factory.LazyFunction(_jjhz)
