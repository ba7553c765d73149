"""``shouwei serve``: the production server — gunicorn over ``shouwei.wsgi``.

Workers from the core count (2 × cores + 1, SHOUWEI_WORKERS to override), request and
shutdown timeouts, an access log with the time, the client and the proxy's X-Forwarded-For, the
duration in ms; workers recycled after a number of requests (no slow leak lives for ever).
``kill -HUP <master pid>`` reloads gracefully (new workers start, old ones finish their
requests); ``--site portal`` (or SHOUWEI_SITE=portal) serves the public portal alone, the
internet-facing instance. Static files are served by WhiteNoise from inside the application
(run ``shouwei collectstatic`` with SHOUWEI_COLLECTED_STATIC=1 once per release).

The command replaces itself with gunicorn (exec): the process a service manager started is the
gunicorn master, and its signals reach gunicorn directly. docs/operator-guide.md has the
systemd unit and the nginx site.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# "client proxied-for - [time] "request" status bytes "referrer" "agent" duration-ms"
ACCESS_LOG_FORMAT = (
    '%(h)s %({x-forwarded-for}i)s %(l)s [%(t)s] "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)


def default_workers() -> int:
    if workers := os.environ.get("SHOUWEI_WORKERS"):
        return int(workers)
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_argv(
    *,
    bind: str,
    workers: int,
    timeout: int,
    graceful_timeout: int,
    max_requests: int,
    access_log: str,
    forwarded_allow_ips: str,
    pid_file: str | None,
) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "shouwei.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--worker-class",
        "shouwei.core.workers.HeadroomWorker",
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(graceful_timeout),
        "--keep-alive",
        "5",
        "--max-requests",
        str(max_requests),
        "--max-requests-jitter",
        str(max(1, max_requests // 10)),
        "--backlog",
        "2048",
        "--access-logfile",
        access_log,
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--error-logfile",
        "-",
        "--forwarded-allow-ips",
        forwarded_allow_ips,
        # Apps are loaded in the master before forking: a broken setting fails at start,
        # not in every worker, and workers share the loaded code's memory.
        "--preload",
    ]
    if pid_file:
        argv += ["--pid", pid_file]
    return argv


class Command(BaseCommand):
    help = "以生产方式运行平台（gunicorn；工作进程数按 CPU 核数）"
    requires_system_checks = []  # gunicorn's --preload loads (and checks) the apps itself

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("SHOUWEI_BIND", "127.0.0.1:8000"),
            help="监听地址，默认 127.0.0.1:8000（SHOUWEI_BIND）；对外由 nginx 反向代理",
        )
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="工作进程数，默认 2×核数+1"
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("SHOUWEI_SERVE_TIMEOUT", "60")),
            help="单个请求最长秒数，超时的工作进程被重启（默认 60）",
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=30,
            help="重启或停止时等待进行中请求完成的秒数（默认 30）",
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=2000,
            help="每个工作进程处理多少个请求后重启（默认 2000，带随机抖动）",
        )
        parser.add_argument(
            "--access-log",
            default=os.environ.get("SHOUWEI_ACCESS_LOG", "-"),
            help="访问日志文件，“-”为标准输出（默认）",
        )
        parser.add_argument(
            "--forwarded-allow-ips",
            default=os.environ.get("SHOUWEI_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            help="信任其 X-Forwarded-* 请求头的代理地址（默认 127.0.0.1，即本机 nginx）",
        )
        parser.add_argument("--pid", default=None, help="主进程 PID 文件（平滑重载时用）")
        parser.add_argument(
            "--site",
            choices=("platform", "portal"),
            default=settings.SHOUWEI_SITE,
            help="platform：完整平台（默认）；portal：只对外提供门户网站",
        )
        parser.add_argument(
            "--print", action="store_true", help="只打印将要执行的 gunicorn 命令，不启动"
        )

    def handle(self, *args, **options):
        if options["workers"] < 1 or options["timeout"] < 1:
            raise CommandError("--workers 和 --timeout 应为正整数")
        if settings.DEBUG:
            raise CommandError("SHOUWEI_DEBUG 已打开：生产环境不得开启调试模式")
        argv = gunicorn_argv(
            bind=options["bind"],
            workers=options["workers"],
            timeout=options["timeout"],
            graceful_timeout=options["graceful_timeout"],
            max_requests=options["max_requests"],
            access_log=options["access_log"],
            forwarded_allow_ips=options["forwarded_allow_ips"],
            pid_file=options["pid"],
        )
        env = {**os.environ, "SHOUWEI_SITE": options["site"]}
        env.setdefault("DJANGO_SETTINGS_MODULE", "shouwei.settings")
        if options["print"]:
            self.stdout.write(f"SHOUWEI_SITE={options['site']} {shlex.join(argv)}")
            return
        try:
            import gunicorn  # noqa: F401
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise CommandError("未安装 gunicorn：pip install gunicorn") from exc
        if shutil.which(argv[0]) is None and not os.path.exists(argv[0]):
            raise CommandError(f"找不到 Python 解释器 {argv[0]}")
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(argv[0], argv, env)
