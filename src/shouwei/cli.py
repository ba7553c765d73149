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

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
