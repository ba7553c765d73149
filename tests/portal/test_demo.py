"""The portal demo: the seed article in 部门动态, loaded once however often the demo runs."""

from shouwei.portal import integrity
from shouwei.portal.demo import load_portal_demo, seed_article
from shouwei.portal.models import Article, ArticleVersion


def test_seed_article_is_published_in_its_channel_without_the_injected_title(seed):
    assert seed.channel.name == "部门动态"
    assert [c.name for c in seed.channel.ancestors()] == ["信息公开", "动态信息", "部门动态"]
    assert seed.title == "衡阳高新区全方位践行“首位”理念——上半年亮点频闪,下半年奋楫争先"
    assert seed.source_unit == "衡阳高新区"
    assert seed.published_at.isoformat() == "2022-08-05T00:43:00+00:00"
    assert "365" not in seed.title + seed.body
    assert seed.body_text == seed_article()["text"]


def test_loading_twice_creates_nothing_twice_and_keeps_the_seals(portal_demo):
    seals = dict(Article.objects.values_list("pk", "content_sha256"))
    versions = ArticleVersion.objects.count()
    assert load_portal_demo() == {"channels": 0, "articles": 0}
    assert dict(Article.objects.values_list("pk", "content_sha256")) == seals
    assert ArticleVersion.objects.count() == versions
    assert integrity.verify() == []
