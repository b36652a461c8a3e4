"""The dependency rule of docs/architecture.md, checked on the source: apps never import the project
package, `articles` never imports `comments`, `pagecache` imports neither, and `visitors` depends on
no other app of ours."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

FORBIDDEN = {
    "visitors": {"newsroom", "articles", "comments", "pagecache"},
    "pagecache": {"newsroom", "articles", "comments"},
    "articles": {"newsroom", "comments"},
    "comments": {"newsroom"},
}


def imported_packages(app: str) -> dict[str, set[str]]:
    """Top-level package of every absolute import in the app, keyed by the importing file."""
    found = {}
    for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(settings.BASE_DIR))] = names
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_apps_only_import_what_the_dependency_rule_allows(app):
    offenders = {
        path: sorted(names & FORBIDDEN[app])
        for path, names in imported_packages(app).items()
        if names & FORBIDDEN[app]
    }
    assert offenders == {}


def test_visitor_identification_is_an_installed_app():
    assert "visitors" in settings.INSTALLED_APPS
