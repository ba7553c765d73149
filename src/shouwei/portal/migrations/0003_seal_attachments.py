"""Attachments are sealed with their page (integrity.attachment_hashes): take the attachments
that published articles have now into their seals, as publishing them today would."""

import hashlib

from django.db import migrations


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def seal_attachments(apps, schema_editor):
    Article = apps.get_model("portal", "Article")
    Attachment = apps.get_model("portal", "Attachment")
    for article in Article.objects.filter(status="published").exclude(part_hashes={}):
        each = {
            f"attachment:{a.pk}": _sha(
                "\n".join([a.sha256, a.kind, a.original_name, a.content_type, a.file.name])
            )
            for a in Attachment.objects.filter(article_id=article.pk)
        }
        listing = "\n".join(f"{k}={v}" for k, v in sorted(each.items()))
        parts = {**article.part_hashes, "attachments": _sha(listing), **each}
        Article.objects.filter(pk=article.pk).update(part_hashes=parts)


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_article_updated_index")]
    operations = [migrations.RunPython(seal_attachments, migrations.RunPython.noop)]
