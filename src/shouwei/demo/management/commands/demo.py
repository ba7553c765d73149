"""`shouwei demo`: migrate, load the Hengyang demo, print one login per role, and serve it with
the background worker beside the server (periodic jobs: escalation, portal seal checks), so the
bell shows what the user guide promises. The worker stops with the server."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from datetime import date

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from shouwei.demo.accounts import create_demo_accounts
from shouwei.demo.loader import load_hengyang, set_demo_clock

# How long the worker may take to finish its current task once asked to stop.
WORKER_STOP_SECONDS = 10


def worker_command() -> list[str]:
    """`shouwei worker`, quiet about each task (the server's log is on the same terminal)."""
    return [sys.executable, "-m", "shouwei.cli", "worker", "--verbosity", "0"]


def check_port_free(host: str, port: int) -> None:
    """Refuse before starting anything: runserver leaves with os._exit when it cannot bind,
    which would leave the worker running on its own."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CommandError(f"无法识别的监听地址 {host}：{exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As the server will: a socket of a stopped server in TIME_WAIT does not block it.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise CommandError(
                f"无法在 {host}:{port} 启动服务（{exc.strerror}）：用 --port 换一个端口"
            ) from None


def serve_with_worker(serve) -> None:
    """Run ``serve()`` with `shouwei worker` in a child process, stopped when ``serve`` returns
    or raises (Ctrl+C reaches both: the child is in the terminal's process group)."""
    # The environment is inherited: the same settings (DJANGO_SETTINGS_MODULE, also when given
    # as --settings), database and data directory.
    worker = subprocess.Popen(worker_command())
    # SIGTERM (kill, a service manager) would end this process without running ``finally``.
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        serve()
    finally:
        signal.signal(signal.SIGTERM, previous)
        if worker.poll() is None:
            worker.terminate()
        try:
            worker.wait(WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "迁移数据库、加载演示数据、创建演示账号并启动服务（默认 127.0.0.1:8000）和后台任务。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="服务端口，默认 8000")
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument(
            "--reset-passwords", action="store_true", help="为已存在的演示账号重新生成密码"
        )
        parser.add_argument(
            "--real-date",
            action="store_true",
            help="按真实日期运行（默认以演示数据的日期 2022-07-29 为“今天”）",
        )

    def handle(self, *args, port, host, no_serve, reset_passwords, real_date, **options):
        if not no_serve:
            check_port_free(host, port)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移")
        report = load_hengyang()
        created = ", ".join(f"{k} +{v}" for k, v in report.created.items())
        self.stdout.write(f"演示数据已加载（{created}）")
        self.stdout.write(clock_message(set_demo_clock(real_date=real_date)))
        accounts = create_demo_accounts(reset_passwords=reset_passwords)
        self.stdout.write("\n演示账号（密码只显示这一次）：")
        self.stdout.write(f"  {'用户名':<14}{'密码':<16}{'角色':<10}单位")
        for a in accounts:
            pw = a.password or "（已存在，未改变；--reset-passwords 重置）"
            self.stdout.write(f"  {a.username:<14}{pw:<16}{a.role:<10}{a.unit.name}")
        if no_serve:
            return
        self.stdout.write(f"\n打开 http://{host}:{port}/ 登录（按 Ctrl+C 停止）")
        self.stdout.write("后台任务（逾期问题提级、门户页面校验）随服务运行\n")
        serve_with_worker(lambda: call_command("runserver", f"{host}:{port}", use_reloader=False))


def clock_message(day: date | None) -> str:
    """What the demo commands say about the date the demo runs as of."""
    if day is None:
        return "按真实日期运行"
    return (
        f"演示日期：{day:%Y-%m-%d}"
        "（逾期天数、时间进度、督办提级按此日期计算；--real-date 改用真实日期）"
    )
