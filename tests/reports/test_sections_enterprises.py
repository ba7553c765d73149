"""The 产业生态 part of the half-year analysis, from liaison assignments (FACTS.md,
"Enterprise service")."""

import pytest

from shouwei.core.models import Unit
from shouwei.core.periods import Period
from shouwei.enterprises.models import LiaisonAssignment

from .sections import build, figures, plain, sources_resolve

pytestmark = pytest.mark.django_db
H1 = Period.parse("2022H1")


@pytest.fixture
def section(demo):
    return build("enterprise", user=demo["leader"], unit=Unit.objects.get(code="hy-gxq"), period=H1)


def test_the_enterprise_part_states_the_cadres_enterprises_and_projects(section):
    f = figures(section)
    assert f["enterprise.cadres"] == 173
    assert f["enterprise.enterprises"] == 252
    projects = (
        LiaisonAssignment.objects.filter(project__isnull=False).values("project").distinct().count()
    )
    assert f["enterprise.projects"] == projects == 51  # 49 省、市重点 and 2 区重点
    assert "企业全覆盖" in plain(section)


def test_every_source_of_the_enterprise_part_opens_for_the_reader(section, client_for):
    sources_resolve(section, client_for("leader"))
