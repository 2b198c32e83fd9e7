"""The layers hold: Qt only inside parclerk/ui, and no layer imports one above it (house style §1)."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "parclerk"

# What each layer may not import.
FORBIDDEN = {
    "data": ("parclerk.services", "parclerk.ui", "parclerk.excel", "parclerk.reports", "parclerk.cli"),
    "services": ("parclerk.ui", "parclerk.cli"),
    "excel": ("parclerk.ui", "parclerk.cli"),
    "reports": ("parclerk.ui", "parclerk.cli"),
    "domain": (
        "parclerk.data",
        "parclerk.services",
        "parclerk.ui",
        "parclerk.excel",
        "parclerk.reports",
        "parclerk.cli",
    ),
}
DOMAIN = {"models.py", "glossary.py", "errors.py", "vntext.py", "dates.py"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


def test_pyside6_only_inside_ui():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _modules()
        if "ui" not in path.relative_to(PACKAGE).parts
        and any(name == "PySide6" or name.startswith("PySide6.") for name in _imports(path))
    ]
    assert offenders == [], f"PySide6 imported outside parclerk/ui: {offenders}"


def test_no_upward_imports():
    problems = []
    for path in _modules():
        parts = path.relative_to(PACKAGE).parts
        layer = "domain" if len(parts) == 1 and parts[0] in DOMAIN else parts[0] if len(parts) > 1 else None
        for name in _imports(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN.get(layer, ())):
                problems.append(f"{'/'.join(parts)} imports {name}")
    assert problems == []


def test_headless_commands_never_load_qt(tmp_path):
    code = (
        "import sys; from parclerk.cli import main; "
        f"main(['demo', '--db', r'{tmp_path / 'd.sqlite'}', '--directives', '5']); "
        f"main(['search', '--db', r'{tmp_path / 'd.sqlite'}', 'cai cach']); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'PySide6 loaded'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
