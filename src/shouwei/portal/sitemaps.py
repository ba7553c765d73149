from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors
from .models import Channel


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return selectors.published()

    def lastmod(self, item):
        return item.updated_at


class PortalSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["portal:home", "portal:search", "portal:open_data"]

    def location(self, item):
        return reverse(item)


class ChannelSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Channel.objects.all()


SITEMAPS = {"pages": PortalSitemap, "channels": ChannelSitemap, "articles": ArticleSitemap}
