"""The platform is a server: it must never pull in the terminal's Qt user interface."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import kiosk_hub

REPO = Path(__file__).resolve().parents[2]


def test_kiosk_hub_imports_neither_kiosk_ui_nor_qt() -> None:
    modules = [f"kiosk_hub.{m.name}" for m in pkgutil.iter_modules(kiosk_hub.__path__)]
    assert "kiosk_hub.sample_report" in modules and "kiosk_hub.web" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('kiosk.ui', 'PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_no_kiosk_hub_module_imports_them_even_lazily() -> None:
    import ast

    offenders = []
    for path in sorted(Path(kiosk_hub.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(("kiosk.ui", "PySide6"))]
    assert offenders == []
