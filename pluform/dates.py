"""Business dates (trajectory ends, retention) count in the practice's time zone."""

import zoneinfo

from django.conf import settings
from django.utils import timezone


def today():
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))
