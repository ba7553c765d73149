from django.core.management import call_command
from django.core.management.base import BaseCommand

from shouwei.demo.accounts import create_demo_accounts
from shouwei.demo.loader import load_hengyang


class Command(BaseCommand):
    help = "迁移数据库、加载演示数据、创建演示账号并启动服务（默认 127.0.0.1:8000）。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="服务端口，默认 8000")
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument(
            "--reset-passwords", action="store_true", help="为已存在的演示账号重新生成密码"
        )

    def handle(self, *args, port, host, no_serve, reset_passwords, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移")
        report = load_hengyang()
        created = ", ".join(f"{k} +{v}" for k, v in report.created.items())
        self.stdout.write(f"演示数据已加载（{created}）")
        accounts = create_demo_accounts(reset_passwords=reset_passwords)
        self.stdout.write("\n演示账号（密码只显示这一次）：")
        self.stdout.write(f"  {'用户名':<14}{'密码':<16}{'角色':<10}单位")
        for a in accounts:
            pw = a.password or "（已存在，未改变；--reset-passwords 重置）"
            self.stdout.write(f"  {a.username:<14}{pw:<16}{a.role:<10}{a.unit.name}")
        if no_serve:
            return
        self.stdout.write(f"\n打开 http://{host}:{port}/ 登录（按 Ctrl+C 停止）\n")
        call_command("runserver", f"{host}:{port}", use_reloader=False)
