"""What every journey (tests/browser/test_journey_*.py) does on each page it reaches: axe-core
checks it, it is photographed at a phone's and a desktop's width, and in Dutch no English is
left on it. The journey asserts once at the end, so one run shows all that is wrong.

    journey = Journey("2-dialogue", page)       # also sets up axe and the CSP watch
    page.goto("/dialogue/")
    journey.visit("inbox")                      # axe, screenshots, language
    ...
    journey.finish()                            # fails with every problem found

Screenshots go to ``$PLUFORM_SCREENSHOTS`` (default ``var/screenshots``), one folder per
journey and language, ``<nn>-<name>-<width>.png``; a summary per journey
(``<journey>.json``: pages checked, violations) lets the test run name the folder and the
totals at its end (tests/browser/conftest.py).
"""

import json
import os
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from tests.browser.axe import (
    csp_violations,
    describe,
    require_axe,
    run_axe,
    serious_violations,
    serve_axe,
)

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (390, 1280)
PHONE_HEIGHT, DESKTOP_HEIGHT = 844, 900

# English words that never belong on a Dutch page (whole words, case-sensitive where they
# start a sentence or a button); not the ones Dutch uses too (Home, Download, Toolbox).
ENGLISH_WORDS = (
    "the",
    "and",
    "your",
    "you",
    "with",
    "from",
    "this",
    "which",
    "would",
    "should",
    "there",
    "their",
    "Save",
    "Cancel",
    "Delete",
    "Back",
    "Send",
    "Log out",
    "Log in",
    "Profile",
    "Settings",
    "Share",
    "Search",
    "Next",
    "Previous",
)
_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in ENGLISH_WORDS) + r")\b")


def screenshots_folder() -> Path:
    return Path(os.environ.get("PLUFORM_SCREENSHOTS") or ROOT / "var" / "screenshots")


@lru_cache(maxsize=1)
def english_only_sentences() -> tuple[str, ...]:
    """The catalogue's English sentences (three words or more) whose Dutch differs: any of them
    on a Dutch page is a string left untranslated."""
    with (ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalogue = read_po(po)
    sentences = []
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple) or not message.string:
            continue
        text = message.id
        if "%" in text or "{" in text or "<" in text or len(text.split()) < 3:
            continue
        if message.string != text:
            sentences.append(text)
    return tuple(sentences)


def english_on(text: str) -> list[str]:
    """English left in a Dutch page's visible text."""
    found = [sentence for sentence in english_only_sentences() if sentence in text]
    found += sorted(set(_WORDS.findall(text)))
    return found


class Journey:
    def __init__(self, name, page, *, language="en", allowed_english=()):
        require_axe()
        self.name = name
        self.page = page
        self.language = language
        self.allowed_english = tuple(allowed_english)
        self.pages = 0
        self.problems: list[str] = []
        self.csp = csp_violations(page)
        serve_axe(page)
        self.folder = screenshots_folder() / f"{name}-{language}"
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    def visit(self, label: str) -> None:
        """Checks the page the browser shows now (after its navigation ended)."""
        page = self.page
        page.wait_for_load_state("load")
        self.pages += 1
        where = f"{self.pages:02d}-{label} ({page.url})"
        violations = serious_violations(run_axe(page))
        if violations:
            self.problems.append(describe(where, violations))
        if self.language == "nl":
            text = page.evaluate("document.body.innerText")
            for allowed in self.allowed_english:
                text = text.replace(allowed, "")
            english = english_on(text)
            if english:
                self.problems.append(f"{where}: English on a Dutch page: {english}")
        self._photograph(label)

    def _photograph(self, label):
        page = self.page
        before = page.viewport_size
        for width in WIDTHS:
            height = PHONE_HEIGHT if width < 800 else DESKTOP_HEIGHT
            page.set_viewport_size({"width": width, "height": height})
            path = self.folder / f"{self.pages:02d}-{label}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                wide = page.evaluate(
                    """(width) => [...document.querySelectorAll('body *')]
                        .filter((e) => e.getBoundingClientRect().right > width + 1
                            && e.parentElement.getBoundingClientRect().right <= width + 1)
                        .slice(0, 3).map((e) => e.tagName.toLowerCase() + '.' + e.className
                            + ' in ' + e.parentElement.tagName.toLowerCase() + '.'
                            + e.parentElement.className)""",
                    width,
                )
                self.problems.append(
                    f"{label} at {width} px scrolls sideways by {overflow} px: {wide}"
                )
        if before:
            page.set_viewport_size(before)

    def finish(self) -> None:
        """Writes the journey's summary and fails with everything found on the way."""
        problems = [*self.problems, *self.csp]
        summary = {
            "journey": self.name,
            "language": self.language,
            "pages": self.pages,
            "problems": len(problems),
        }
        (self.folder.parent / f"{self.name}-{self.language}.json").write_text(json.dumps(summary))
        assert not problems, "\n".join(problems)
