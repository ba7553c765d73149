"""The English translation: a complete catalogue, pages in English after switching, Chinese by
default, and a language switch that needs no script."""

import os
import re
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from shouwei.core import formatting

PACKAGE = Path(settings.BASE_DIR)
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
COCKPIT = "/indicators/cockpit/?unit=hy-gxq&period=2022H1"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")


def _key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _live_entries(catalogue):
    return [e for e in catalogue if not e.obsolete and e.msgid]


def test_every_entry_of_the_english_catalogue_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in _live_entries(po) if not e.translated()]
    fuzzy = [e.msgid for e in _live_entries(po) if "fuzzy" in e.flags]
    assert not po.metadata_is_fuzzy
    assert untranslated == [], f"untranslated in {PO.name}: {untranslated}"
    assert fuzzy == [], f"fuzzy in {PO.name}: {fuzzy}"


def test_translations_keep_every_placeholder_of_the_chinese():
    po = polib.pofile(str(PO))
    wrong = []
    for e in _live_entries(po):
        source = sorted(PLACEHOLDER.findall(e.msgid))
        targets = e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]
        wrong += [(e.msgid, t) for t in targets if sorted(PLACEHOLDER.findall(t)) != source]
    assert wrong == []


def test_every_translatable_string_in_the_source_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the package: a Chinese string added to a template or module
    without an English translation fails here, naming the string and its file."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is needed (apt-get install gettext); CI installs it")
    copy = tmp_path / "shouwei"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("vendor", "locale", "__pycache__", "*.pyc", "media"),
    )
    (copy / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        cwd = Path.cwd()
        try:
            os.chdir(copy)
            call_command(
                "makemessages", locale=["en"], ignore_patterns=["static/vendor/*"], verbosity=0
            )
        finally:
            os.chdir(cwd)
    fresh = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = {_key(e) for e in _live_entries(polib.pofile(str(PO))) if e.translated()}
    missing = sorted(
        f"{e.msgid!r} ({', '.join(sorted({path for path, _line in e.occurrences}))})"
        for e in _live_entries(fresh)
        if _key(e) not in committed
    )
    assert missing == [], (
        "strings without an English translation; refresh the catalogue as "
        "docs/operator-guide.md (Translations) says:\n" + "\n".join(missing)
    )


def test_the_compiled_catalogue_is_the_committed_one():
    po = {_key(e): e.msgstr or e.msgstr_plural.get(0) for e in _live_entries(polib.pofile(str(PO)))}
    mo = {_key(e): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(MO)) if e.msgid}
    assert mo == po, "django.mo is stale: run `shouwei compilemessages -l en` in src/shouwei"


def test_figures_use_english_units_and_ranks_under_english():
    with translation.override("en"):
        assert formatting.format_measure(Decimal("499.645"), "亿元") == "499.65 CNY 100m"
        assert formatting.format_measure(Decimal("324"), "万元", 0) == "324 CNY 10k"
        assert formatting.format_measure(Decimal("6.9"), "%", 1) == "6.9%"
        assert formatting.format_measure(None, "亿元") == "—"
        assert formatting.format_rank(3) == "No. 3"
        assert formatting.format_rank(3, 7) == "No. 3 of 7"
        assert formatting.format_growth(Decimal("-1.25")) == "-1.3%"
        # A unit the formatter does not know stays as the indicator stores it.
        assert formatting.format_measure(Decimal("2"), "座") == "2.00座"


def test_figures_are_byte_identical_chinese_by_default():
    with translation.override("zh-hans"):
        assert formatting.format_measure(Decimal("499.645"), "亿元") == "499.65亿元"
        assert formatting.format_measure(Decimal("12"), "栋", 0) == "12栋"
        assert formatting.format_rank(3, 7) == "第3名/7"


class _Forms(HTMLParser):
    """The language switch as a browser without script sees it: its form and buttons."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "lang-switch" in (a.get("class") or ""):
            self.forms.append({"action": a["action"], "fields": {}, "buttons": {}})
            self.inside = True
        elif self.inside and tag == "input" and a.get("type") == "hidden":
            self.forms[-1]["fields"][a["name"]] = a.get("value", "")
        elif self.inside and tag == "button" and a.get("name") == "language":
            self.forms[-1]["buttons"][a["value"]] = a

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _switch(html: str) -> dict:
    parser = _Forms()
    parser.feed(html)
    assert len(parser.forms) == 1, "one language switch per page"
    return parser.forms[0]


def _submit_switch(client: Client, page_url: str, language: str):
    """Press the switch's button: post its fields as a browser would, then follow."""
    form = _switch(client.get(page_url).content.decode())
    assert language in form["buttons"]
    data = {**form["fields"], "language": language}
    return client.post(form["action"], data, follow=True)


@pytest.mark.django_db
def test_login_page_is_chinese_by_default():
    html = Client().get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "账号登录" in html
    assert "Account login" not in html


@pytest.mark.django_db
def test_login_page_switches_to_english_without_script_and_with_csrf():
    client = Client(enforce_csrf_checks=True)
    response = _submit_switch(client, "/accounts/login/", "en")
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in html
    assert "Account login" in html and "账号登录" not in html
    # The way back is labelled in Chinese, for a reader who cannot read English.
    assert 'lang="zh-hans">简体中文</button>' in html


@pytest.mark.django_db
def test_language_switch_refuses_a_post_without_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_cockpit_in_english_after_switching(client_for):
    client = client_for("leader")
    chinese = client.get(COCKPIT).content.decode()
    assert "驾驶舱" in chinese and "第1名" in chinese
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    english = client.get(COCKPIT).content.decode()
    assert '<html lang="en">' in english
    assert "Cockpit" in english
    assert "No. 1" in english and "第1名" not in english
    assert "CNY 100m" in english
    assert "退出登录" not in english and "Log out" in english


def test_navbar_switch_works_without_script(client_for):
    client = client_for("leader")
    client.handler.enforce_csrf_checks = True
    response = _submit_switch(client, COCKPIT, "en")
    assert response.redirect_chain[0][0] == COCKPIT
    assert "Cockpit" in response.content.decode()
    back = _submit_switch(client, COCKPIT, "zh-hans")
    assert "驾驶舱" in back.content.decode()


@pytest.mark.django_db
def test_portal_home_is_chinese_by_default_and_english_after_switching(demo):
    client = Client(enforce_csrf_checks=True)
    chinese = client.get("/portal/").content.decode()
    assert '<html lang="zh-hans">' in chinese and "最新信息" in chinese
    response = _submit_switch(client, "/portal/", "en")
    english = response.content.decode()
    assert response.redirect_chain[-1][0] == "/portal/"
    assert '<html lang="en">' in english
    assert "Latest" in english and "Hengyang High-tech Zone" in english
    assert "最新信息" not in english


@pytest.mark.django_db
def test_cached_portal_pages_carry_no_csrf_token_and_keep_each_language(demo, settings):
    """Portal pages are cached and served as the same bytes to every visitor: a token in them
    would hand one visitor's CSRF secret to all the others."""
    settings.SHOUWEI_PORTAL_CACHE_SECONDS = 60
    settings.SHOUWEI_PORTAL_LIST_CACHE_SECONDS = 60
    english = Client()
    english.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    assert "Latest" in english.get("/portal/").content.decode()
    html = Client().get("/portal/").content.decode()
    assert "最新信息" in html
    assert "csrfmiddlewaretoken" not in html
    assert _switch(html)["action"] == "/portal/language/"


@pytest.mark.django_db
def test_sealed_article_hash_does_not_depend_on_the_visitors_language(demo):
    from shouwei.portal import integrity
    from shouwei.portal.models import Article

    article = Article.objects.published().first()
    assert article is not None
    with translation.override("en"):
        english = integrity.render_content(article)
    assert english == integrity.render_content(article)
    assert integrity.sha256(english) == article.content_sha256


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="shouwei.urls_portal", SHOUWEI_SITE="portal")
def test_the_portal_only_site_has_its_language_switch_too(demo):
    client = Client(enforce_csrf_checks=True)
    response = _submit_switch(client, "/portal/open-data/", "en")
    assert response.redirect_chain[-1][0] == "/portal/open-data/"
    assert "Open data" in response.content.decode()


def test_the_period_in_the_cockpit_title_reads_in_english(client_for):
    client = client_for("leader")
    assert "2022年1—6月" in client.get(COCKPIT).content.decode()
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    english = client.get(COCKPIT).content.decode()
    assert "Jan–Jun 2022" in english
    assert "2022年1—6月" not in english
