"""House rules that code review alone would miss: loaders, task names, no content in logs."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "dialogue", "interventions", "toolbox", "dossier", "privacy", "pluform"]
# Models that hold special-category content: views reach them only through access.py.
CONTENT_APPS = {"dialogue", "interventions", "toolbox", "dossier"}


def _modules(pattern):
    for app in APPS:
        for path in sorted((ROOT / app).rglob(pattern)):
            if "migrations" not in path.parts:
                yield path


def _content_model_names():
    names = set()
    for config in apps.get_app_configs():
        if config.label in CONTENT_APPS:
            names.update(model.__name__ for model in config.get_models())
    return names


def _direct_loads(tree, forbidden):
    for node in ast.walk(tree):
        # Model.objects.<anything>
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in forbidden
        ):
            yield node.lineno, f"{node.value.id}.{node.attr}"
        # get_object_or_404(Model, ...)
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in {"get_object_or_404", "get_list_or_404"}
            and node.args
            and getattr(node.args[0], "id", None) in forbidden
        ):
            yield node.lineno, f"get_object_or_404({node.args[0].id})"


@pytest.mark.parametrize(
    "path", list(_modules("views*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_views_load_content_only_through_access_py(path):
    forbidden = _content_model_names()
    found = list(_direct_loads(ast.parse(path.read_text()), forbidden))
    assert not found, f"{path.name} loads content directly: {found}; use the app's access.py"


def test_the_loader_rule_catches_a_direct_load():
    tree = ast.parse("m = Message.objects.get(pk=1)\nd = get_object_or_404(Dialogue, pk=2)")
    assert {hit for _, hit in _direct_loads(tree, {"Message", "Dialogue"})} == {
        "Message.objects",
        "get_object_or_404(Dialogue)",
    }


def test_every_celery_task_has_an_explicit_name():
    unnamed = []
    for path in _modules("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    if isinstance(decorator, ast.Call) and getattr(
                        decorator.func, "id", getattr(decorator.func, "attr", "")
                    ) in {"shared_task", "task"}:
                        if not any(keyword.arg == "name" for keyword in decorator.keywords):
                            unnamed.append(f"{path.relative_to(ROOT)}:{node.name}")
                    elif getattr(decorator, "id", getattr(decorator, "attr", "")) in {
                        "shared_task",
                        "task",
                    }:
                        unnamed.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert not unnamed


def test_no_module_prints():
    offenders = []
    for path in _modules("*.py"):
        if "management" in path.parts or path.name.startswith("test_"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "use logging (ids only) or a management command's stdout"


def test_log_calls_never_format_a_decrypted_field():
    """Log lines carry ids and counts; the names of encrypted fields never appear in them."""
    from pluform.crypto.fields import EncryptedTextField

    encrypted = {
        field.name
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    }
    offenders = []
    for path in _modules("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"debug", "info", "warning", "error", "exception", "critical"}
                and getattr(node.func.value, "id", "") in {"logger", "log", "logging"}
            ):
                for argument in ast.walk(node):
                    if isinstance(argument, ast.Attribute) and argument.attr in encrypted:
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders


def test_no_url_carries_a_sequential_id():
    from django.contrib import admin
    from django.db import models
    from django.urls import get_resolver

    from accounts.organisation_admin import site as organisation_site

    def routes(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if hasattr(entry, "url_patterns"):
                yield from routes(entry, route)
            else:
                yield route

    assert not [route for route in routes(get_resolver()) if "<int:" in route]
    sequential = [
        model.__name__
        for site in (admin.site, organisation_site)
        for model in site._registry
        if not isinstance(model._meta.pk, models.UUIDField)
    ]
    assert not sequential, f"admin change URLs would carry sequential ids: {sequential}"
