import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='importbatch',
            name='committed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='确认导入人'),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='message',
            field=models.TextField(blank=True, help_text='写入失败或撤销时的原因，给导入人看', verbose_name='说明'),
        ),
    ]
