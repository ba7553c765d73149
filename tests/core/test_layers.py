"""The import contracts in .importlinter hold: core imports no app, indicators only core and the
import framework, domain apps not each other, the demo loader no domain app, the evaluation
engine no Django."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / ".importlinter"


def _lint(config: Path, capsys) -> tuple[int, str]:
    code = lint_imports(config_filename=str(config), no_cache=True, no_logo=True)
    return code, capsys.readouterr().out


def test_the_import_contracts_hold(capsys):
    code, out = _lint(CONTRACTS, capsys)
    assert code == 0, out
    assert "0 broken" in out


def test_a_broken_contract_fails_the_check_and_names_the_import(tmp_path, capsys):
    # The URL conf does import the portal (it hands anonymous visitors to its home page): a
    # contract forbidding that must fail, or the check above could pass without looking.
    config = tmp_path / "broken.ini"
    config.write_text(
        "[importlinter]\n"
        "root_packages =\n    shouwei\n"
        "[importlinter:contract:probe]\n"
        "name = probe\n"
        "type = forbidden\n"
        "source_modules =\n    shouwei.urls\n"
        "forbidden_modules =\n    shouwei.portal\n",
        encoding="utf-8",
    )
    code, out = _lint(config, capsys)
    assert code != 0
    assert "shouwei.urls -> shouwei.portal" in out
