"""The engine must run where Django is absent: no module of the package may import it."""

import subprocess
import sys

CHECK = """
import sys
assert "django" not in sys.modules
import shouwei.evaluation
import shouwei.evaluation.cli
import shouwei.evaluation.whatittakes
leaked = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print(",".join(leaked))
"""


def test_importing_the_engine_and_its_cli_never_imports_django():
    done = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == ""
