"""The 综合评价 page: the demo scheme with hy-gxq ranked and its interval, the form, bad
input shown as Chinese messages on the form (never a 500, nothing saved), re-runs, export."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from shouwei.evaluation_web.demo import DEMO_NAME
from shouwei.evaluation_web.models import EvaluationRun

pytestmark = pytest.mark.django_db

INDEX = reverse("evaluation_web:index")
DEMO_CODES = ("gdp", "industrial_va", "service_revenue", "retail_sales")


def _post(extra=None, codes=DEMO_CODES):
    from shouwei.core.models import PeerGroup

    data = {
        "name": "测试方案",
        "group": PeerGroup.objects.get(code="hy-5d2p").pk,
        "period": "2022H1",
        "indicators": list(codes),
        "method": "weighted_sum",
        "normalisation": "",
        "weights": "equal",
        "expert_weights": "",
        "missing": "refuse",
        "mc_draws": "200",
        "seed": "7",
        "target_rank": "2",
    }
    for code in DEMO_CODES:
        data[f"direction_{code}"] = "higher"
        data[f"basis_{code}"] = "growth"
    data.update(extra or {})
    return data


def test_demo_scheme_shows_hy_gxq_ranked_with_an_interval(client_for):
    response = client_for("leader").get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    run = EvaluationRun.objects.get(name=DEMO_NAME)
    assert run.synthetic and run.unit.code == "hy-gxq" and run.mc_draws == 1000
    assert "含模拟数据" in html
    row = re.search(r'<tr class="table-primary" data-unit="hy-gxq">(.*?)</tr>', html, re.S)
    assert row, "hy-gxq's row is highlighted"
    rank = run.results["ranks"][[u["code"] for u in run.results["units"]].index("hy-gxq")]
    assert f"第{rank}名" in row.group(1)
    assert '<svg class="rank-interval' in row.group(1)
    assert re.search(r"第\d+(—\d+)?名", row.group(1).split("interval-label")[1])
    assert 'id="what-it-takes"' in html
    assert "综合评价" in html


def test_demo_scheme_is_saved_once_however_often_the_demo_loads(demo):
    from shouwei.demo.loader import load_hengyang

    load_hengyang()
    assert EvaluationRun.objects.filter(name=DEMO_NAME).count() == 1


def test_menu_lists_the_page_under_economy(client_for):
    html = client_for("leader").get(reverse("indicators:cockpit")).content.decode()
    assert INDEX in html


def test_anonymous_users_are_sent_to_login(client, demo):
    response = client.get(INDEX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_enterprise_contact_cannot_open_the_page(client_for):
    assert client_for("enterprise").get(INDEX).status_code == 403


def test_posting_the_form_saves_a_run_and_shows_it(client_for):
    c = client_for("statistician")
    response = c.post(INDEX, _post())
    assert response.status_code == 302
    run = EvaluationRun.objects.exclude(name=DEMO_NAME).get()
    assert run.seed == 7 and run.mc_draws == 200 and run.unit.code == "hy-gxq"
    assert response["Location"] == run.get_absolute_url()
    page = c.get(run.get_absolute_url()).content.decode()
    assert "测试方案" in page and 'data-unit="hy-gxq"' in page


def test_blank_seed_is_drawn_and_saved(client_for):
    client_for("statistician").post(INDEX, _post({"seed": ""}))
    run = EvaluationRun.objects.exclude(name=DEMO_NAME).get()
    assert run.seed is not None and run.results["uncertainty"]["seed"] == run.seed


def _rejected(client, data, *fragments):
    before = EvaluationRun.objects.count()
    response = client.post(INDEX, data)
    assert response.status_code == 200
    html = response.content.decode()
    for fragment in fragments:
        assert fragment in html, html[html.find("evaluation-form") :][:3000]
    assert EvaluationRun.objects.count() == before


def test_one_indicator_is_refused_with_a_message(client_for):
    _rejected(client_for("leader"), _post(codes=("gdp",)), "至少需要 2 个指标")


def test_group_with_fewer_than_two_units_having_data_is_refused(client_for):
    # 2021H1: only months up to 2022-06 exist for peers, and hy-gxq's 2021 figures are
    # monthly synthetic ones; 2020 has nothing at all.
    _rejected(
        client_for("leader"),
        _post({"period": "2020H1"}),
        "至少需要 2 个才能比较排名",
    )


def test_bad_expert_weights_text_is_refused_naming_the_item(client_for):
    c = client_for("leader")
    _rejected(c, _post({"weights": "expert", "expert_weights": "gdp=0.5"}), "格式不对", "gdp=0.5")
    _rejected(
        c,
        _post({"weights": "expert", "expert_weights": "gdp:x, industrial_va:1"}),
        "「x」不是数字",
    )
    _rejected(
        c,
        _post({"weights": "expert", "expert_weights": "gdp:0.5, fdi:0.5"}),
        "「fdi」不在所选指标中",
    )
    _rejected(c, _post({"weights": "expert", "expert_weights": "gdp:1"}), "专家权重缺少指标")


def test_expert_weights_are_used_and_rescaled_with_a_warning(client_for):
    text = "gdp:2, industrial_va：1，service_revenue:1\nretail_sales:1"
    response = client_for("leader").post(
        INDEX, _post({"weights": "expert", "expert_weights": text})
    )
    assert response.status_code == 302
    run = EvaluationRun.objects.exclude(name=DEMO_NAME).get()
    assert run.weights == {
        "kind": "expert",
        "weights": {"gdp": 2.0, "industrial_va": 1.0, "service_revenue": 1.0, "retail_sales": 1.0},
    }
    assert [i["weight"] for i in run.results["indicators"]] == [0.4, 0.2, 0.2, 0.2]
    assert run.results["warnings"]


def test_a_billion_monte_carlo_draws_are_refused(client_for):
    _rejected(client_for("leader"), _post({"mc_draws": str(10**9)}), "蒙特卡洛抽样次数最多 5000 次")


def test_a_bad_period_is_refused(client_for):
    _rejected(client_for("leader"), _post({"period": "2022H3"}), "2022H3")


def test_engine_errors_show_on_the_form(client_for):
    # Geometric mean on min-max: the worst unit scores 0 on some indicator, which the engine
    # refuses with its own Chinese message.
    _rejected(
        client_for("leader"),
        _post({"method": "efficacy", "normalisation": "minmax"}),
        "功效系数法自带",
    )


def test_missing_values_are_refused_unless_a_policy_is_chosen_and_then_listed(client_for):
    from shouwei.indicators.models import Observation

    Observation.objects.filter(unit__code="hy-gxq", indicator__code="retail_sales").delete()
    c = client_for("leader")
    _rejected(c, _post(), "数据缺失")
    assert c.post(INDEX, _post({"missing": "impute_mean"})).status_code == 302
    run = EvaluationRun.objects.exclude(name=DEMO_NAME).get()
    assert any("插补" in w or "均值" in w for w in run.results["warnings"])
    assert any(w in c.get(run.get_absolute_url()).content.decode() for w in run.results["warnings"])


def test_rerun_link_reproduces_the_run(client_for):
    c = client_for("leader")
    demo_run = EvaluationRun.objects.get(name=DEMO_NAME)
    response = c.post(reverse("evaluation_web:run_rerun", args=[demo_run.pk]))
    assert response.status_code == 302
    new = EvaluationRun.objects.get(rerun_of=demo_run)
    assert new.created_by.username == "leader"
    for key in ("scores", "ranks", "uncertainty", "what_it_takes", "values"):
        assert new.results[key] == demo_run.results[key]


def test_rerun_is_post_only(client_for):
    demo_run = EvaluationRun.objects.get(name=DEMO_NAME)
    url = reverse("evaluation_web:run_rerun", args=[demo_run.pk])
    assert client_for("leader").get(url).status_code == 405


def test_export_is_an_xlsx_of_the_ranked_table(client_for):
    demo_run = EvaluationRun.objects.get(name=DEMO_NAME)
    response = client_for("leader").get(reverse("evaluation_web:run_export", args=[demo_run.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "单位", "综合得分")
    names = [r[1] for r in rows[1:8]]
    assert "高新区" in "".join(str(n) for n in names)
    assert any(r[0] == "说明" and "模拟数据" in r[1] for r in rows if r and r[0])


def test_a_department_reads_its_zones_runs(client_for):
    run = EvaluationRun.objects.get(name=DEMO_NAME)
    assert client_for("staff_cyfz").get(run.get_absolute_url()).status_code == 200


def test_a_run_of_another_zone_is_not_found(client_for):
    from shouwei.core.models import Unit

    run = EvaluationRun.objects.get(name=DEMO_NAME)
    EvaluationRun.objects.filter(pk=run.pk).update(unit=Unit.objects.get(code="hy-zh"))
    assert client_for("leader").get(run.get_absolute_url()).status_code == 404
