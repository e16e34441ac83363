"""Both admin sites: readable colours, no inline style or script, named form controls.

The browser check with axe-core is tests/browser/test_admin_accessibility.py; these run
without a browser.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ADMIN_CSS = Path(settings.BASE_DIR) / "static" / "css" / "pluform-admin.css"
WHITE = "#ffffff"
# (text colour, background) as Django's admin CSS pairs them; names are custom properties.
PAIRS = [
    ("header-color", "header-bg"),
    ("header-branding-color", "header-bg"),
    ("primary-fg", "primary"),
    ("breadcrumbs-fg", "breadcrumbs-bg"),
    ("breadcrumbs-link-fg", "breadcrumbs-bg"),
    ("link-fg", WHITE),
    ("link-hover-color", WHITE),
    ("link-selected-fg", WHITE),
    ("link-fg", "selected-row"),
    ("body-quiet-color", WHITE),
    ("body-quiet-color", "selected-row"),
    ("primary-fg", "button-bg"),
    ("primary-fg", "button-hover-bg"),
    ("primary-fg", "default-button-bg"),
    ("primary-fg", "default-button-hover-bg"),
]
INLINE_STYLE = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)

pytestmark = pytest.mark.django_db


def _luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted([_luminance(one), _luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _light_palette() -> dict[str, str]:
    css = ADMIN_CSS.read_text()
    block = css[css.index('html[data-theme="light"] {') :]
    block = block[: block.index("}")]
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", block))


def test_contrast_formula_matches_wcag():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#ffffff", "#cfe5e3"), 2) == 1.31


@pytest.mark.parametrize("text, background", PAIRS)
def test_admin_text_colours_meet_wcag_aa(text, background):
    palette = _light_palette()
    colour = palette[text]
    behind = background if background.startswith("#") else palette[background]
    assert contrast(colour, behind) >= 4.5, f"--{text} on {background}"


def test_the_automatic_light_theme_uses_the_same_palette():
    css = ADMIN_CSS.read_text()
    automatic = css[css.index(':root:not([data-theme="dark"]) {') :]
    automatic = dict(
        re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", automatic[: automatic.index("}")])
    )
    assert automatic == _light_palette()


def test_breadcrumb_links_are_underlined_not_told_apart_by_colour_alone():
    """Link and breadcrumb text differ by 1.31:1 only: the links need an underline (WCAG 1.4.1)."""
    css = ADMIN_CSS.read_text()
    rule = re.search(r"div\.breadcrumbs a:link[^{]*\{([^}]*)\}", css)
    assert rule and "text-decoration: underline" in rule.group(1)


def _form_pages(actors, trajectory):
    coach = actors["coach"]
    return [
        ("it_admin", reverse("admin:accounts_user_add")),
        ("it_admin", reverse("admin:accounts_organisation_add")),
        ("it_admin", reverse("admin:accounts_coachprofile_add")),
        ("it_admin", reverse("admin:accounts_user_change", args=[coach.pk])),
        ("it_admin", reverse("admin:accounts_coachprofile_change", args=[coach.coach_profile.pk])),
        ("it_admin", reverse("admin:accounts_trajectory_change", args=[trajectory.pk])),
        ("org_manager", reverse("organisation:accounts_trajectory_add")),
        ("org_manager", reverse("organisation:accounts_invitation_add")),
        ("org_manager", reverse("organisation:accounts_trajectory_change", args=[trajectory.pk])),
        ("org_manager", reverse("organisation:accounts_organisationcoach_change", args=[coach.pk])),
    ]


def test_admin_form_pages_have_no_inline_style_or_script(client, actors, trajectory):
    """The content security policy allows neither; the browser would refuse them."""
    for actor, url in _form_pages(actors, trajectory):
        client.force_login(actors[actor])
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.text
        assert not INLINE_STYLE.findall(html), (url, INLINE_STYLE.findall(html))
        assert not INLINE_SCRIPT.findall(html), (url, INLINE_SCRIPT.findall(html))
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_coach_autocomplete_loads_its_label_script_after_select2(client, it_admin):
    client.force_login(it_admin)
    html = client.get(reverse("admin:accounts_coachprofile_add")).text
    assert 'class="admin-autocomplete"' in html or "admin-autocomplete" in html
    assert html.index("admin/js/autocomplete.js") < html.index("js/admin-autocomplete-labels.js")
    assert 'for="id_user">Coach:</label>' in html
