"""The locks agree with pyproject.toml, and the environment is what the lock pins.

`make lock` re-resolves; these tests fail when someone edits one side only.
"""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
LOCKS = {
    "requirements.lock": ["dependencies", "dev"],
    "requirements-production.lock": ["dependencies"],
}


def _pins(lock_name):
    """name -> (version, marker) for every pin that applies to this platform."""
    pins = {}
    for line in (ROOT / lock_name).read_text().splitlines():
        match = PIN.match(line)
        if not match:
            continue
        name, version, marker = match.groups()
        if marker and not Requirement(f"x; {marker}").marker.evaluate():
            continue
        pins[canonicalize_name(name)] = version
    return pins


def _requirements(groups):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for group in groups:
        listed = (
            project["dependencies"]
            if group == "dependencies"
            else project["optional-dependencies"][group]
        )
        yield from (Requirement(text) for text in listed)


def _extra_requirements(requirement):
    """What an extra such as celery[redis] adds, from the installed package's metadata."""
    for extra in requirement.extras:
        for text in metadata.requires(requirement.name) or []:
            needed = Requirement(text)
            environment = {**default_environment(), "extra": extra}
            marker = needed.marker
            if marker and "extra" in str(marker) and marker.evaluate(environment):
                yield needed


@pytest.mark.parametrize("lock_name", LOCKS)
def test_every_requirement_in_pyproject_is_pinned_within_its_range(lock_name):
    pins = _pins(lock_name)
    problems = []
    for requirement in _requirements(LOCKS[lock_name]):
        for needed in [requirement, *_extra_requirements(requirement)]:
            version = pins.get(canonicalize_name(needed.name))
            if version is None:
                problems.append(f"{needed.name} is not in {lock_name}")
            elif not needed.specifier.contains(version, prereleases=True):
                problems.append(f"{needed.name}=={version} is outside {needed.specifier}")
    assert not problems, "run `make lock`: " + "; ".join(problems)


def test_production_lock_pins_the_same_versions_as_the_full_lock():
    full = _pins("requirements.lock")
    production = _pins("requirements-production.lock")
    differing = {name for name in production if full.get(name) != production[name]}
    assert not differing, f"run `make lock`: versions differ for {sorted(differing)}"


def test_every_pin_has_a_hash():
    for lock_name in LOCKS:
        text = (ROOT / lock_name).read_text()
        entries = re.split(r"\n(?=[A-Za-z0-9])", text)
        unhashed = [
            entry.split("==")[0]
            for entry in entries
            if "==" in entry.split("\n")[0] and "--hash=sha256:" not in entry
        ]
        assert not unhashed, f"{lock_name}: no hash for {unhashed}"


def test_the_installed_environment_is_what_the_lock_pins():
    mismatched = []
    for name, version in _pins("requirements.lock").items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            mismatched.append(f"{name} is not installed")
            continue
        if installed != version:
            mismatched.append(f"{name} {installed} installed, {version} locked")
    assert not mismatched, "run `make install`: " + "; ".join(mismatched)
