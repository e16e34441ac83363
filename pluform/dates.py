"""Business dates (trajectory ends, retention) count in the practice's time zone."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.formats import get_format


def today():
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def date_text(value) -> str:
    """A date as the page shows it (DATE_FORMAT); a moment as the date it is where the reader
    is; "" for none. For lists: one call per row, no template filter."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return dateformat.format(value, get_format("DATE_FORMAT"))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day where it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)
