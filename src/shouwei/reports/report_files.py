"""``shouwei report half-year|monthly|brief --unit CODE --period P --format F -o FILE``: the
report built inline (and stored, as a page build is), rendered in one of the registered
formats."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from shouwei.core.reporting import BRIEF, HALF_YEAR, MONTHLY, register_report_file

from .choices import ReportKind, ReportStatus
from .renderers import FORMATS, formats_for


def _arguments(parser) -> None:
    parser.add_argument("--unit", required=True, help="单位代码，如 hy-gxq")
    parser.add_argument("--period", required=True, help="期间，如 2022H1（上半年）、2022-06")
    parser.add_argument(
        "--format",
        dest="format",
        default="html",
        help="输出格式：" + "、".join(sorted(FORMATS)) + " 等已安装的格式",
    )


def _builder(kind: str):
    def build(options, user) -> bytes:
        from .services import ReportError, request_report

        available = {f.key: f for f in formats_for(kind)}
        fmt = available.get(options["format"])
        if fmt is None:
            raise CommandError(
                f"不支持的格式“{options['format']}”：{kind} 可用 {'、'.join(sorted(available))}"
            )
        reason = fmt.missing()
        if reason:
            raise CommandError(reason)  # before building: nothing is stored
        try:
            report = request_report(
                kind=kind, unit=options["unit"], period=options["period"], by=user, inline=True
            )
        except (ReportError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        if report.status != ReportStatus.BUILT:
            raise CommandError(f"报告生成失败：{report.error}")
        return fmt.render(report.as_document())

    return build


for _kind in (HALF_YEAR, MONTHLY, BRIEF):
    register_report_file(
        _kind,
        title=str(ReportKind(_kind).label),
        add_arguments=_arguments,
        build=_builder(_kind),
    )
