"""axe-core in the browser tests: load it from the app's own origin, run it, report.

The content security policy admits scripts from the app's own origin only, so axe is not
injected inline: a Playwright route answers a same-origin URL with the file from
node_modules (installed from package-lock.json by `npm ci`). The page keeps its real CSP, so
a test also sees whether the page itself breaks it (``csp_violations``).

    require_axe()
    violations = csp_violations(page)
    serve_axe(page)
    page.goto(url)
    problems = serious_violations(run_axe(page))
    assert not problems, describe(page.url, problems)
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_FILE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__axe-core__/axe.min.js"
SERIOUS = frozenset({"serious", "critical"})


def require_axe():
    """Skips (fails in CI) when axe-core is not installed."""
    if AXE_FILE.exists():
        return
    message = f"axe-core is not installed at {AXE_FILE}: run `npm ci` (make test does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def serve_axe(page):
    """Answers AXE_URL from node_modules; routes added later take precedence in Playwright."""
    page.route(
        f"**{AXE_URL}",
        lambda route: route.fulfill(path=AXE_FILE, content_type="application/javascript"),
    )


def csp_violations(page) -> list[str]:
    """A list that fills with every content-security-policy refusal caused by the pages.

    Refusals of axe's own work (it adds a <style> element while it checks) are left out.
    """
    found = []
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (event) =>
            console.warn("csp-violation " + JSON.stringify({
                directive: event.violatedDirective, source: event.sourceFile,
                line: event.lineNumber, sample: event.sample})));"""
    )

    def _console(message):
        if message.text.startswith("csp-violation ") and AXE_URL not in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", _console)
    return found


def run_axe(page, options=None) -> list[dict]:
    """Runs axe over the whole page and returns its violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(
        "async (options) => (await window.axe.run(document, options)).violations",
        options or {},
    )


def serious_violations(violations) -> list[dict]:
    return [violation for violation in violations if violation.get("impact") in SERIOUS]


def describe(url, violations) -> str:
    """One line per violation and node: rule, impact, target and axe's summary."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(
                f"{url} {violation['id']} ({violation['impact']}) {node['target']}: {summary}"
            )
    return "\n".join(lines)


def assert_accessible(page, label=""):
    """Fails with every serious or critical axe violation on the current page."""
    problems = serious_violations(run_axe(page))
    assert not problems, describe(label or page.url, problems)


class Audit:
    """Runs axe on the pages it is shown and keeps every violation (with ``serious_only``,
    the serious and critical ones), to assert on once at the end of a journey."""

    def __init__(self, *, serious_only=False):
        self.problems = []
        self.serious_only = serious_only

    def check(self, page, name):
        violations = run_axe(page)
        if self.serious_only:
            violations = serious_violations(violations)
        label = f"{name} ({page.url})"
        self.problems.extend(describe(label, [violation]) for violation in violations)
