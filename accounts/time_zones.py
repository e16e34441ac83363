"""The time zones the profile offers: a short list of real, commonly used zones by region.

zoneinfo knows about 600 names, among them aliases and non-zones ("Factory", "localtime").
People pick from this list instead; a valid zone stored earlier that is not on it stays
available to its user as an extra choice, so no existing profile breaks.
"""

import functools
from zoneinfo import available_timezones

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_TIME_ZONE = "Europe/Amsterdam"

# zoneinfo lists these, but they are no place's time zone.
NOT_TIME_ZONES = frozenset({"Factory", "localtime", "posixrules"})

COMMON_TIME_ZONES = [
    (
        _("Europe"),
        [
            (DEFAULT_TIME_ZONE, _("Amsterdam")),
            ("Europe/Athens", _("Athens")),
            ("Europe/Berlin", _("Berlin")),
            ("Europe/Brussels", _("Brussels")),
            ("Europe/Budapest", _("Budapest")),
            ("Europe/Copenhagen", _("Copenhagen")),
            ("Europe/Dublin", _("Dublin")),
            ("Europe/Helsinki", _("Helsinki")),
            ("Europe/Istanbul", _("Istanbul")),
            ("Europe/Kyiv", _("Kyiv")),
            ("Europe/Lisbon", _("Lisbon")),
            ("Europe/London", _("London")),
            ("Europe/Madrid", _("Madrid")),
            ("Europe/Moscow", _("Moscow")),
            ("Europe/Oslo", _("Oslo")),
            ("Europe/Paris", _("Paris")),
            ("Europe/Prague", _("Prague")),
            ("Europe/Rome", _("Rome")),
            ("Europe/Stockholm", _("Stockholm")),
            ("Europe/Vienna", _("Vienna")),
            ("Europe/Warsaw", _("Warsaw")),
            ("Europe/Zurich", _("Zurich")),
        ],
    ),
    (
        _("Americas"),
        [
            ("America/Curacao", _("Curaçao, Aruba, Bonaire, Sint Maarten")),
            ("America/Paramaribo", _("Paramaribo")),
            ("America/New_York", _("New York (US Eastern)")),
            ("America/Chicago", _("Chicago (US Central)")),
            ("America/Denver", _("Denver (US Mountain)")),
            ("America/Phoenix", _("Phoenix (Arizona)")),
            ("America/Los_Angeles", _("Los Angeles (US Pacific)")),
            ("America/Anchorage", _("Anchorage (Alaska)")),
            ("Pacific/Honolulu", _("Honolulu (Hawaii)")),
            ("America/Halifax", _("Halifax (Canada Atlantic)")),
            ("America/Toronto", _("Toronto")),
            ("America/Vancouver", _("Vancouver")),
            ("America/Mexico_City", _("Mexico City")),
            ("America/Bogota", _("Bogotá")),
            ("America/Lima", _("Lima")),
            ("America/Santiago", _("Santiago")),
            ("America/Argentina/Buenos_Aires", _("Buenos Aires")),
            ("America/Sao_Paulo", _("São Paulo")),
        ],
    ),
    (
        _("Africa"),
        [
            ("Africa/Casablanca", _("Casablanca")),
            ("Africa/Lagos", _("Lagos (West Africa)")),
            ("Africa/Cairo", _("Cairo")),
            ("Africa/Johannesburg", _("Johannesburg (South Africa)")),
            ("Africa/Nairobi", _("Nairobi (East Africa)")),
        ],
    ),
    (
        _("Asia"),
        [
            ("Asia/Jerusalem", _("Jerusalem")),
            ("Asia/Riyadh", _("Riyadh")),
            ("Asia/Tehran", _("Tehran")),
            ("Asia/Dubai", _("Dubai")),
            ("Asia/Karachi", _("Karachi")),
            ("Asia/Kolkata", _("India")),
            ("Asia/Bangkok", _("Bangkok")),
            ("Asia/Jakarta", _("Jakarta")),
            ("Asia/Singapore", _("Singapore")),
            ("Asia/Hong_Kong", _("Hong Kong")),
            ("Asia/Shanghai", _("China")),
            ("Asia/Manila", _("Manila")),
            ("Asia/Seoul", _("Seoul")),
            ("Asia/Tokyo", _("Tokyo")),
        ],
    ),
    (
        _("Oceania"),
        [
            ("Australia/Perth", _("Perth")),
            ("Australia/Adelaide", _("Adelaide")),
            ("Australia/Brisbane", _("Brisbane")),
            ("Australia/Sydney", _("Sydney, Melbourne")),
            ("Pacific/Auckland", _("Auckland")),
        ],
    ),
    (pgettext_lazy("time zone region", "Other"), [("UTC", _("Coordinated Universal Time (UTC)"))]),
]

COMMON_TIME_ZONE_NAMES = frozenset(
    name for _group, zones in COMMON_TIME_ZONES for name, _label in zones
)


@functools.cache
def _known_zones() -> frozenset[str]:
    # available_timezones() walks the zoneinfo folders on every call.
    return frozenset(available_timezones()) - NOT_TIME_ZONES


def is_time_zone(name: str) -> bool:
    return name in _known_zones()


def time_zone_choices(current: str | None = None) -> list:
    """The grouped list; ``current`` joins it when it is a valid zone that is not on it."""
    choices = list(COMMON_TIME_ZONES)
    if current and current not in COMMON_TIME_ZONE_NAMES and is_time_zone(current):
        group, zones = choices[-1]
        choices[-1] = (group, [*zones, (current, current.replace("_", " "))])
    return choices
