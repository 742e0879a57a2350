"""The README's layout section and broadcaster/__init__.py name what the tree holds, and nothing else."""
from __future__ import annotations

import re
from pathlib import Path

import broadcaster

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "broadcaster"


def _layout() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout"):]
    nxt = section.find("\n## ", 3)
    return section if nxt == -1 else section[:nxt]


def _packages_and_modules() -> set[str]:
    return {p.name + ("/" if p.is_dir() else "") for p in PACKAGE.iterdir()
            if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and not p.name.startswith("__"))}


def test_the_package_docstring_names_every_package_and_module():
    doc = broadcaster.__doc__ or ""
    assert [n for n in sorted(_packages_and_modules()) if n not in doc] == []


def test_the_readme_layout_names_every_package_and_module():
    layout = _layout()
    assert [n for n in sorted(_packages_and_modules()) if f"`{n}" not in layout] == []


def test_every_file_the_readme_layout_names_exists():
    names = re.findall(r"`([\w./*-]+\.(?:py|md)|[\w.-]+/)`", _layout())
    missing = []
    for name in names:
        found = list(PACKAGE.rglob(name.rstrip("/"))) + list(ROOT.glob(name.rstrip("/")))
        if not found:
            missing.append(name)
    assert missing == []
