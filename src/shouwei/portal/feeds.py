from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from . import selectors


class LatestArticlesFeed(Feed):
    title = "衡阳高新区 · 信息公开"
    link = "/portal/"
    description = "衡阳高新区门户网站最新发布的信息"

    def items(self):
        return selectors.latest(30)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text only: a reader should never run markup from the feed.
        return item.body_text[:200]

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.source_unit


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
