"""The apps build on each other one way: notices → cohorts → assessments → accounts → curriculum.

Python imports are held to it by import-linter (`[tool.importlinter]` in pyproject.toml);
templates by the scan below: a template under templates/<app>/ loads only tag libraries of its
own app, an app below it, or Django and the third-party packages.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template.backends.django import get_installed_libraries

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["curriculum", "accounts", "assessments", "cohorts", "notices"]  # lowest first
LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")


def _library_app(module):
    """The project app a tag library comes from, or None for Django's and third parties'."""
    top = module.split(".")[0]
    return top if top in LAYERS else None


def _loads(text):
    names = []
    for match in LOAD.finditer(text):
        words = match.group(1).split()
        names.extend(words[: words.index("from")] if "from" in words else words)
    return names


def _violations(templates_dir, libraries):
    found = []
    for app in LAYERS:
        for template in sorted((templates_dir / app).rglob("*.html")):
            for name in _loads(template.read_text(encoding="utf-8")):
                owner = _library_app(libraries.get(name, ""))
                if owner and LAYERS.index(owner) > LAYERS.index(app):
                    found.append(f"{template.relative_to(templates_dir)} loads {name} ({owner})")
    return found


def test_no_template_loads_the_tags_of_a_higher_app():
    assert _violations(Path(settings.BASE_DIR) / "templates", get_installed_libraries()) == []


def test_the_scan_finds_a_curriculum_template_loading_assessments_tags(tmp_path):
    (tmp_path / "curriculum").mkdir()
    (tmp_path / "curriculum" / "tree.html").write_text("{% load partials progress %}")
    libraries = {"progress": "assessments.templatetags.progress", "partials": "template_partials"}
    assert _violations(tmp_path, libraries) == ["curriculum/tree.html loads progress (assessments)"]


def test_the_scan_lets_an_app_load_its_own_and_lower_tags(tmp_path):
    (tmp_path / "cohorts").mkdir()
    (tmp_path / "cohorts" / "page.html").write_text("{% load curriculum evidence_reviews %}")
    libraries = {
        "curriculum": "curriculum.templatetags.curriculum",
        "evidence_reviews": "assessments.templatetags.evidence_reviews",
    }
    assert _violations(tmp_path, libraries) == []


def test_imports_follow_the_layers():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.fail("lint-imports is missing: install the dev dependencies (make install)")
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
