from django.db import migrations

from shouwei.core.search import CreateBigramFunction


class Migration(migrations.Migration):
    """shouwei_bigrams(), which the lists' bigram search indexes are built on (PostgreSQL only;
    docs/decisions/0009)."""

    dependencies = [("core", "0008_user_sessions_and_reauth_events")]

    operations = [CreateBigramFunction()]
