from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from shouwei.demo.loader import load_hengyang, set_demo_clock

from .demo import clock_message

SCALES = ["hengyang", "tiny", "city", "province"]


class Command(BaseCommand):
    help = "加载演示数据（衡阳高新区 2022 年上半年）；可重复运行，不会重复创建。"

    def add_arguments(self, parser):
        from shouwei.demo.province import APPS

        parser.add_argument(
            "--scale",
            choices=SCALES,
            default="hengyang",
            help=(
                "hengyang: 文章数据；province: 另加合成的全省规模数据（150 个单位、60 个指标、"
                "20 万企业、100 万诉求、2 万项目、5 万线索、目标和节点）；city: 其十分之一左右；"
                "tiny: 每类几条，供测试"
            ),
        )
        parser.add_argument("--seed", type=int, default=42, help="合成数据的随机种子（默认 42）")
        parser.add_argument(
            "--only",
            help=f"只生成这些应用的合成数据，逗号分隔：{','.join(APPS)}",
        )
        parser.add_argument(
            "--months",
            type=int,
            help="指标的月份数（自 2022-12 往前；province 默认 36，最多 120）",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="不显示进度条（写入 stderr）"
        )
        parser.add_argument(
            "--no-synthetic", action="store_true", help="不加载五区两园的模拟对比数据"
        )
        parser.add_argument(
            "--real-date",
            action="store_true",
            help="按真实日期运行（默认以演示数据的日期 2022-07-29 为“今天”）",
        )

    def handle(
        self, *args, scale, seed, only, months, no_progress, no_synthetic, real_date, **options
    ):
        from shouwei.demo import province

        apps = [a.strip() for a in only.split(",") if a.strip()] if only else None
        if apps is not None and (not apps or set(apps) - set(province.APPS)):
            raise CommandError(f"--only 应为 {','.join(province.APPS)} 中的一个或几个")
        if months is not None and not 1 <= months <= 120:
            raise CommandError("--months 应在 1 到 120 之间")
        if scale == "hengyang" and (only or months):
            raise CommandError("--only 和 --months 只用于 --scale tiny/city/province")
        # A new data directory has an empty database: migrate first, as `shouwei demo` does
        # (a no-op on one that is up to date).
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移")
        report = load_hengyang(synthetic=not no_synthetic)
        for what, n in report.created.items():
            self.stdout.write(f"  {what}: +{n}")
        if scale != "hengyang":
            bar = None if no_progress else province.ProgressBar(self.stderr._out)
            try:
                stats = province.generate(
                    scale=scale,
                    seed=seed,
                    only=apps,
                    months=months,
                    tick=bar,
                    say=self.stdout.write,
                )
            except province.PartialData as exc:
                raise CommandError(str(exc)) from exc
            total = sum(s["seconds"] for s in stats.values())
            self.stdout.write(f"  synthetic {scale} (seed {seed}): {total:.1f} s")
        self.stdout.write(clock_message(set_demo_clock(real_date=real_date)))
        self.stdout.write(self.style.SUCCESS("演示数据已就绪"))
