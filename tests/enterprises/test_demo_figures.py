"""The enterprise-service figures of FACTS.md are counted from the demo's assignment records."""

from shouwei.core import clock
from shouwei.enterprises.models import LiaisonAssignment
from shouwei.enterprises.selectors import active_assignments, coverage
from shouwei.projects.choices import HEADLINE_LEVELS, ProjectLevel
from shouwei.projects.models import Project


def test_the_demo_derives_173_cadres_252_enterprises_and_51_projects_from_assignments(demo):
    day = clock.today()
    served = active_assignments(day)
    assert served.values("cadre").distinct().count() == 173
    assert served.filter(enterprise__isnull=False).values("enterprise").distinct().count() == 252
    assert served.filter(project__isnull=False).values("project").distinct().count() == 51
    figures = coverage(demo["leader"], day)
    assert (figures.cadres, figures.by_cadre, figures.projects) == (173, 252, 51)


def test_the_51_projects_served_are_the_49_provincial_and_municipal_and_2_district_ones(demo):
    # The 联点 plan's 51 key projects: every project of the demo has a cadre, and the 2 区重点
    # served beside the article's 49 省、市重点 do not enter the projects app's 49.
    served = Project.objects.filter(pk__in=LiaisonAssignment.objects.values("project_id"))
    assert served.count() == Project.objects.count() == 51
    assert served.filter(level__in=HEADLINE_LEVELS).count() == 49
    assert served.filter(level=ProjectLevel.DISTRICT).count() == 2


def test_every_enterprise_of_the_demo_is_covered(demo):
    figures = coverage(demo["leader"])
    assert figures.enterprises > 252  # the small and micro ones too, served by their street
    assert figures.uncovered == 0 and figures.rate == 1


def test_loading_again_creates_nothing(demo):
    from shouwei.demo.loader import load_hengyang

    before = LiaisonAssignment.objects.count()
    report = load_hengyang()
    assert LiaisonAssignment.objects.count() == before
    assert report.created.get("liaison assignments") == 0
