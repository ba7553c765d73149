"""The portal's demo: the channel tree, the seed article's text as published (without the
gambling site's name injected above it, and without the captions of photos the saved page did
not keep) and a few articles that restate FACTS.md.

Idempotent: channels are keyed on their slug, articles on channel and title; a published demo
article is never re-sealed, so `shouwei portal verify` stays quiet after a second load.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from shouwei.demo.registry import DemoContext, data_file, register_demo_loader

from .choices import ArticleStatus
from .models import Article, ArticleVersion, Channel
from .sanitize import body_text, clean_body, text_to_paragraphs
from .services import publish_demo

SEED_FILE = data_file("seed_article.txt")
TZ = ZoneInfo("Asia/Shanghai")

CHANNELS = [
    # slug, name, parent slug
    ("xxgk", "信息公开", None),
    ("dtxx", "动态信息", "xxgk"),
    ("bmdt", "部门动态", "dtxx"),
    ("tzgg", "通知公告", "dtxx"),
    ("zcwj", "政策文件", "xxgk"),
    ("sjfb", "数据发布", "xxgk"),
    ("zwgk", "政务公开", None),
]

# The page's own furniture in the saved text, before the title and after the body.
_CHROME_END = "字体:"
_BODY_END = "相关阅读:"
# A photo's caption (▲…) on the zone's pages sits under its photo. The saved page kept the
# three captions but not the photos, and a caption without its picture reads as a broken page:
# the demo publishes the text without them.
_CAPTION = "▲"


def seed_article() -> dict:
    """Title, publication time, source and body text of the seed page."""
    lines = SEED_FILE.read_text(encoding="utf-8").splitlines()
    # Line 1 is the hijacker's "365体育官网", not part of the article.
    lines = lines[1:]
    title = next(ln for ln in lines if ln.startswith("衡阳高新区全方位践行")).strip()
    meta = next(ln for ln in lines if ln.startswith("发布时间"))
    stamp = re.search(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})", meta).group(1)
    source = re.search(r"来源:([^?\s]+)", meta).group(1)
    start = next(i for i, ln in enumerate(lines) if ln.strip() == _CHROME_END) + 1
    end = next(i for i, ln in enumerate(lines) if ln.strip() == _BODY_END)
    return {
        "title": title,
        "published_at": datetime.strptime(stamp, "%Y-%m-%d %H:%M").replace(tzinfo=TZ),
        "source_unit": source,
        "text": "\n".join(
            ln for ln in lines[start:end] if ln.strip() and not ln.strip().startswith(_CAPTION)
        ),
    }


OTHER_ARTICLES = [
    {
        "channel": "tzgg",
        "title": "关于召开上半年经济形势分析暨下半年经济工作部署会的通知",
        "published_at": "2022-07-26 09:00",
        "tags": "经济运行,首位",
        "text": (
            "各部门、各街道（办事处）：\n"
            "经研究，定于7月29日召开上半年经济形势分析暨下半年经济工作部署会，"
            "总结上半年经济工作，部署下半年重点任务。请各单位做好汇报准备。"
        ),
    },
    {
        "channel": "bmdt",
        "title": "高新区在深圳设立粤港澳大湾区招商办事处",
        "published_at": "2022-03-15 10:00",
        "tags": "招商引资,首位",
        "text": (
            "今年初，高新区在深圳设置粤港澳大湾区招商办事处，常态化开展驻地招商工作。\n"
            "办事处将围绕重点产业链，开展驻地招商、以商招商和精准招商。"
        ),
    },
    {
        "channel": "zcwj",
        "title": "衡阳高新区“一对一”联点企业服务工作方案",
        "published_at": "2022-04-08 16:00",
        "tags": "营商环境,驻企联络员",
        "text": (
            "为优化营商环境，高新区建立“驻企联络员”制度，制定本方案。\n"
            "动员联点企业干部173人，对252家重点企业和51个重点项目给予全程服务，"
            "所属街道（办事处）加强对小微企业的扶持力度，确保园区企业全覆盖。"
        ),
    },
    {
        "channel": "sjfb",
        "title": "2022年上半年衡阳高新区主要经济指标",
        "published_at": "2022-07-28 17:30",
        "tags": "经济运行,上半年,数据发布",
        "text": (
            "2022年1—6月，高新区主要经济指标名列全市前茅：\n"
            "地区生产总值增长6.9%，居全市第一；\n"
            "规模工业增加值增长11.5%，居全市第二；\n"
            "规上服务业营业收入增长13.1%，居全市第一；\n"
            "社会消费品零售总额增长1.7%，居全市第三。"
        ),
    },
]


def _channels() -> tuple[dict[str, Channel], int]:
    out: dict[str, Channel] = {}
    created = 0
    for order, (slug, name, parent) in enumerate(CHANNELS):
        ch = Channel.objects.filter(slug=slug).first()
        if ch is None:
            ch = Channel.objects.create(
                slug=slug, name=name, parent=out.get(parent) if parent else None, sort_order=order
            )
            created += 1
        out[slug] = ch
    return out, created


def _publish(channel: Channel, *, title: str, text: str, published_at, tags: str, source: str):
    if Article.objects.filter(channel=channel, title=title).exists():
        return False
    body = clean_body(text_to_paragraphs(text))
    article = Article.objects.create(
        channel=channel,
        title=title,
        source_unit=source,
        published_at=published_at,
        body=body,
        body_text=body_text(body),
        tags=tags,
        status=ArticleStatus.DRAFT,
    )
    ArticleVersion.objects.create(
        article=article, number=1, title=title, body=body, tags=tags, status=article.status
    )
    publish_demo(article=article)
    return True


@transaction.atomic
def load_portal_demo() -> dict[str, int]:
    channels, new_channels = _channels()
    seed = seed_article()
    created = int(
        _publish(
            channels["bmdt"],
            title=seed["title"],
            text=seed["text"],
            published_at=seed["published_at"],
            tags="首位,经济运行,上半年",
            source=seed["source_unit"],
        )
    )
    for row in OTHER_ARTICLES:
        created += _publish(
            channels[row["channel"]],
            title=row["title"],
            text=row["text"],
            published_at=datetime.strptime(row["published_at"], "%Y-%m-%d %H:%M").replace(
                tzinfo=TZ
            ),
            tags=row["tags"],
            source="衡阳高新区",
        )
    return {"channels": new_channels, "articles": created}


@register_demo_loader("portal")
def load(ctx: DemoContext) -> None:
    for what, n in load_portal_demo().items():
        ctx.report.add_count(f"portal {what}", n)
