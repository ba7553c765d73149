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
