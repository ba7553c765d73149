"""The Hengyang demo: idempotent, faithful to seed/FACTS.md, with one login per role."""

import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from shouwei.core.choices import Role
from shouwei.core.models import PeerGroup, Unit
from shouwei.demo.accounts import DEMO_ACCOUNTS, create_demo_accounts
from shouwei.demo.loader import SYNTHETIC_INDICATORS, load_hengyang
from shouwei.indicators.choices import Direction, ObservationStatus, RankBasis
from shouwei.indicators.models import Indicator, Observation, Target
from shouwei.indicators.selectors import ranking_for


def _business_counts() -> dict[str, int]:
    # Every model of the project's apps except the audit trail (simple-history rows).
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"core", "indicators", "auth"}
        and not m._meta.model_name.startswith("historical")
    }


@pytest.mark.django_db
def test_loading_twice_creates_nothing_twice():
    load_hengyang()
    create_demo_accounts()
    first = _business_counts()
    report = load_hengyang()
    create_demo_accounts()
    assert _business_counts() == first
    assert not any(report.created.values()), report.created
    assert first["indicators.Observation"] > 100


def _obs(code, period="2022H1", unit="hy-gxq"):
    return Observation.objects.select_related("rank_group").get(
        unit__code=unit, indicator__code=code, period=period
    )


@pytest.mark.parametrize(
    ("code", "growth", "rank"),
    [
        ("gdp", "6.9", 1),
        ("industrial_va", "11.5", 2),
        ("service_revenue", "13.1", 1),
        ("retail_sales", "1.7", 3),
    ],
)
def test_economy_growth_and_rank_among_the_five_districts_two_parks(demo, code, growth, rank):
    o = _obs(code)
    assert o.growth == Decimal(growth)
    assert o.published_rank == rank
    assert o.rank_group.code == "hy-5d2p"
    assert o.rank_basis == RankBasis.GROWTH
    assert o.status == ObservationStatus.APPROVED
    assert not o.synthetic


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("tech_sme_registered", "354"),
        ("rd_expenditure", "5"),
        ("tech_contract_turnover", "9.54"),
        ("new_provincial_rd_platforms", "3"),
        ("new_talent_teams", "1"),
        ("phd_recruited", "20"),
        ("epi_screened", "15000"),
        ("epi_quarantined", "2200"),
        ("elderly_vaccination_rate", "91.24"),
        ("houses_inspected", "2081"),
        ("commercial_house_review_rate", "100"),
        ("unsafe_vacant_houses_demolished", "2"),
        ("illegal_structures_demolished", "44"),
        ("registered_unemployment_rate", "3.4"),
        ("relief_funds", "324"),
        ("elderly_home_retrofits", "127"),
        ("family_elderly_beds", "127"),
        ("new_parking_spaces", "300"),
        ("new_school_places", "950"),
    ],
)
def test_facts_values_are_loaded_exactly(demo, code, value):
    assert _obs(code).value == Decimal(value)


def test_unemployment_is_lower_is_better(demo):
    ind = Indicator.objects.get(code="registered_unemployment_rate")
    assert ind.direction == Direction.LOWER and ind.lower_is_better


def test_vaccination_rate_is_first_in_the_city(demo):
    o = _obs("elderly_vaccination_rate")
    assert (o.published_rank, o.rank_group.code) == (1, "hy-5d2p")


def test_high_quality_contest_is_first_among_class_b_units(demo):
    o = _obs("hq_contest")
    assert (o.published_rank, o.rank_group.code) == (1, "hy-class-b")


def test_urban_rural_governance_is_third_in_the_second_quarter(demo):
    o = _obs("urban_rural_governance", period="2022Q2")
    assert o.published_rank == 3


def test_civilised_city_assessment_is_first(demo):
    assert _obs("civilised_city_assessment").published_rank == 1


@pytest.mark.parametrize(
    ("label", "floor", "stretch", "group"),
    [("保二争一", 2, 1, "hy-5d2p"), ("前70", 70, None, None), ("前20", 20, None, None)],
)
def test_rank_targets_of_2022(demo, label, floor, stretch, group):
    t = Target.objects.select_related("rank_group").get(unit__code="hy-gxq", label=label)
    assert (t.year, t.kind, t.floor_rank, t.stretch_rank) == (2022, "rank", floor, stretch)
    assert (t.rank_group.code if t.rank_group else None) == group


def test_peer_groups_and_units(demo):
    five = PeerGroup.objects.get(code="hy-5d2p")
    assert five.units_in(2022).count() == 7
    assert set(PeerGroup.objects.get(code="hy-class-b").units_in(2022).values_list("code", flat=1))
    assert Unit.objects.get(code="hy-gxq-cyfz").path == "/hn/hy/hy-gxq/hy-gxq-cyfz/"


@pytest.mark.parametrize("code", SYNTHETIC_INDICATORS)
def test_computed_ranks_from_synthetic_peers_agree_with_published_ranks(demo, code):
    ranking = ranking_for(
        group=PeerGroup.objects.get(code="hy-5d2p"),
        indicator=Indicator.objects.get(code=code),
        period="2022H1",
        basis=RankBasis.GROWTH,
        user=demo["leader"],
    )
    zone = ranking.entry_for(Unit.objects.get(code="hy-gxq"))
    assert zone.source == "computed"
    assert zone.computed_rank == zone.published_rank == _obs(code).published_rank
    assert not ranking.mismatches
    assert len(ranking.ranked) == 7


def test_synthetic_peers_are_labelled_and_never_overwrite_published_figures(demo):
    synthetic = Observation.objects.filter(synthetic=True)
    assert synthetic.exists()
    assert not synthetic.filter(unit__code="hy-gxq", period="2022H1").exists()
    assert all("模拟" in s for s in synthetic.values_list("source", flat=True).distinct())


def _run_demo(*, reset_passwords: bool = False) -> str:
    out = io.StringIO()
    call_command("demo", no_serve=True, reset_passwords=reset_passwords, stdout=out)
    return out.getvalue()


def _logins(output: str) -> dict[str, str]:
    names = "|".join(re.escape(a[0]) for a in DEMO_ACCOUNTS)
    return {
        m.group(1): m.group(2)
        for m in re.finditer(rf"^\s+({names})\s+(\S+)", output, flags=re.MULTILINE)
    }


def _password_works(username: str, password: str) -> bool:
    return get_user_model().objects.get(username=username).check_password(password)


@pytest.mark.django_db(transaction=True)
def test_demo_command_prints_one_working_login_per_role():
    # The test database already holds the demo (loaded once per session): ask for new passwords.
    output = _run_demo(reset_passwords=True)
    logins = _logins(output)
    assert set(logins) == {a[0] for a in DEMO_ACCOUNTS}
    for role in Role:
        assert str(role.label) in output, f"no demo login for {role.label}"
    for username, password in logins.items():
        assert _password_works(username, password), username


@pytest.mark.django_db(transaction=True)
def test_demo_command_twice_keeps_passwords_and_says_so():
    first = _logins(_run_demo(reset_passwords=True))
    second_output = _run_demo()
    second = _logins(second_output)
    assert set(second) == set(first)
    assert all(pw.startswith("（已存在") for pw in second.values())
    assert second_output.count("已存在") == len(DEMO_ACCOUNTS)
    username, password = next(iter(first.items()))
    assert _password_works(username, password)


def test_loading_the_demo_again_adds_no_audit_history(demo):
    from shouwei.demo.loader import load_hengyang
    from shouwei.indicators.models import Observation

    before = Observation.history.count()
    load_hengyang()
    assert Observation.history.count() == before


def test_an_account_an_apps_demo_data_created_gets_a_password(demo):
    # The enterprise service's demo makes the demo 驻企联络员 one of its cadres before the
    # accounts exist; the account must still print a working login.
    user = get_user_model().objects.get(username="liaison")
    user.set_unusable_password()
    user.save()

    account = next(a for a in create_demo_accounts() if a.username == "liaison")

    assert account.password and _password_works("liaison", account.password)


def test_the_demo_liaison_has_enterprises_of_its_own(demo, client_for):
    from shouwei.enterprises.models import LiaisonAssignment

    mine = LiaisonAssignment.objects.filter(
        cadre__username="liaison", enterprise__isnull=False
    ).select_related("enterprise")
    assert mine.exists()
    page = client_for("liaison").get("/enterprises/my-assignments/")
    assert page.status_code == 200
    assert mine[0].enterprise.name in page.content.decode()
    assert "您当前没有联点企业或项目" not in page.content.decode()
