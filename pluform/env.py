"""Tiny helpers that read settings from the environment."""

import os


def env(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name, default=()):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
