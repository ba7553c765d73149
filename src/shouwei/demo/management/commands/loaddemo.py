from django.core.management import call_command
from django.core.management.base import BaseCommand

from shouwei.demo.loader import load_hengyang, set_demo_clock

from .demo import clock_message


class Command(BaseCommand):
    help = "加载演示数据（衡阳高新区 2022 年上半年）；可重复运行，不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["hengyang", "city", "province"],
            default="hengyang",
            help="hengyang: 文章数据；city/province: 另加合成的大规模数据",
        )
        parser.add_argument(
            "--no-synthetic", action="store_true", help="不加载五区两园的模拟对比数据"
        )
        parser.add_argument(
            "--real-date",
            action="store_true",
            help="按真实日期运行（默认以演示数据的日期 2022-07-29 为“今天”）",
        )

    def handle(self, *args, scale, no_synthetic, real_date, **options):
        # A new data directory has an empty database: migrate first, as `shouwei demo` does
        # (a no-op on one that is up to date).
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移")
        report = load_hengyang(synthetic=not no_synthetic)
        for what, n in report.created.items():
            self.stdout.write(f"  {what}: +{n}")
        if scale != "hengyang":
            from shouwei.demo.synthetic import generate

            stats = generate(scale=scale, progress=self.stdout.write)
            self.stdout.write(f"  synthetic {scale}: {stats}")
        self.stdout.write(clock_message(set_demo_clock(real_date=real_date)))
        self.stdout.write(self.style.SUCCESS("演示数据已就绪"))
