"""Templates name a view set's pages by model or record, never by a spelled URL name."""

from django.template import Context, Template
from django.urls import reverse

from tests.factories import ObservationFactory


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_page_url_names_a_model_page_by_the_models_label(db):
    assert render('{% page_url "projects.Problem" "list" %}') == reverse("projects:problem_list")


def test_page_url_names_a_records_page_by_the_record(db):
    observation = ObservationFactory()

    assert render('{% page_url obs "edit" %}', obs=observation) == reverse(
        "indicators:observation_edit", args=[observation.pk]
    )
    assert render("{% page_url obs %}", obs=observation) == observation.get_absolute_url()
