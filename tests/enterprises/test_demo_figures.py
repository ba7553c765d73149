"""The enterprise-service figures of FACTS.md are counted from the demo's assignment records."""

from shouwei.core import clock
from shouwei.enterprises.models import LiaisonAssignment
from shouwei.enterprises.selectors import active_assignments, coverage
from shouwei.projects.models import Project


def test_the_demo_derives_173_cadres_and_252_enterprises_from_assignments(demo):
    day = clock.today()
    served = active_assignments(day)
    assert served.values("cadre").distinct().count() == 173
    assert served.filter(enterprise__isnull=False).values("enterprise").distinct().count() == 252
    figures = coverage(demo["leader"], day)
    assert (figures.cadres, figures.by_cadre) == (173, 252)


def test_every_key_project_of_the_demo_has_a_cadre(demo):
    # FACTS.md says 51 key projects; the projects app's demo holds the 49 provincial and
    # municipal ones, and each of those is served: the count follows the records.
    figures = coverage(demo["leader"])
    assert figures.projects == Project.objects.count() == 49
    assert not Project.objects.exclude(
        pk__in=LiaisonAssignment.objects.values("project_id")
    ).exists()


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
