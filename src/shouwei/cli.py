"""`shouwei` = manage.py with the package's settings."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["evaluate"]:
        # The evaluation engine is pure numpy: run it before Django is imported, so that it
        # needs no settings, secret key or database.
        from shouwei.evaluation.cli import main as evaluate

        sys.exit(evaluate(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwei.settings")
    from django.core.management import execute_from_command_line
    from django.db import InterfaceError, OperationalError

    from shouwei.core.stack import run_with_headroom

    try:
        # A command's loops (an import, a batch of reports, gunicorn's workers) from the top
        # of a fresh stack chunk, as each request is (shouwei.core.stack says why).
        run_with_headroom(execute_from_command_line, sys.argv)
    except (OperationalError, InterfaceError, OSError) as exc:
        from shouwei.core.faults import explain, is_disk_full

        # A full disk or an unreachable database is the machine's fault, not a bug: a clear
        # sentence and exit code 1, no traceback (other OSErrors are not ours to explain).
        if isinstance(exc, OSError) and not is_disk_full(exc):
            raise
        sys.stderr.write(f"错误：{explain(exc)}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
