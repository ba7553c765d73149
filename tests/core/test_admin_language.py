"""Django's admin speaks the UI's language for the third-party apps too (django-axes and
django-tasks-db ship no Chinese): in the Chinese UI no English app or model name is left."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

THIRD_PARTY_ENGLISH = [
    "Axes",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Access attempt expirations",
    "Tasks Database Backend",
    "Task Results",
]


def _app_list(html: str) -> str:
    # The admin index's app list: app captions and model names, no dashboard chrome.
    return " ".join(re.findall(r"<caption>.*?</caption>|<th scope=\"row\".*?</th>", html, re.S))


def test_the_admin_index_names_third_party_apps_and_models_in_chinese(client_for):
    names = _app_list(client_for("admin").get("/admin/").content.decode())
    assert [english for english in THIRD_PARTY_ENGLISH if english in names] == []
    for chinese in ["登录防护", "登录尝试", "登录失败记录", "登录日志", "后台任务", "任务结果"]:
        assert chinese in names, chinese


def test_the_admin_index_reads_english_in_the_english_ui(client_for):
    client = client_for("admin")
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    names = _app_list(client.get("/admin/").content.decode())
    assert "Access attempts" in names and "Task Results" in names
    assert "Login protection" in names and "Background tasks" in names


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("url", "english", "chinese"),
    [
        (
            "/admin/axes/accesslog/",
            ["access log", "Attempt Time", "Logout Time", "Path"],
            ["选择 登录日志 来修改", "尝试时间", "退出时间", "路径"],
        ),
        (
            "/admin/django_tasks_database/dbtaskresult/",
            ["Task Result", "status", "Ready", "Running", "Successful", "priority", "queue name"],
            ["任务结果", "状态", "待执行", "执行中", "成功", "优先级", "队列"],
        ),
    ],
)
def test_third_party_admin_lists_filter_and_title_in_chinese(client_for, url, english, chinese):
    response = client_for("admin").get(url)
    assert response.status_code == 200
    main = _text(response.content.decode().split('id="content"')[1])
    assert [e for e in english if re.search(rf"\b{e}\b", main)] == []
    assert [c for c in chinese if c not in main] == []
