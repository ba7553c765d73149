"""A unit already in first place is told so in a sentence that reads naturally, in either
language, and not in the engine's bilingual note."""

import pytest
from django.conf import settings
from django.urls import reverse

from shouwei.evaluation_web.demo import DEMO_NAME
from shouwei.evaluation_web.models import EvaluationRun

pytestmark = pytest.mark.django_db

INDEX = reverse("evaluation_web:index")


def _what_it_takes(html: str) -> str:
    return html.split('id="what-it-takes"')[1].split("</section>")[0]


def test_a_unit_in_first_place_reads_already_first_in_chinese_and_english(client_for):
    run = EvaluationRun.objects.get(name=DEMO_NAME)
    assert run.results["what_it_takes"]["rank"] == 1, "the demo ranks hy-gxq first"
    client = client_for("leader")

    chinese = _what_it_takes(client.get(INDEX).content.decode())
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    english = _what_it_takes(client.get(INDEX).content.decode())

    assert f"{run.unit.display_name}已居第 1 名" in chinese
    assert "已是" not in chinese and "already" not in chinese
    assert "is already first" in english
    assert "已居" not in english and "已是" not in english
