"""Support pages for Pluform staff: who may use which part, the one user loader, the queries.

DESIGN.md's role table: customer service, the ICT line manager and the IT administrator see
a user's identification data and their activity log; the account manager sees the
identification data only (to pass data-subject requests on). Nobody here sees content,
the profile photo or coach billing data.
"""

import re

from allauth.mfa.models import Authenticator
from django.db.models import Q
from django.http import Http404

from accounts.models import LoginAttempt, User
from accounts.roles import Role

USERS_PER_PAGE = 25
ATTEMPTS_PER_PAGE = 25
MIN_QUERY_LENGTH = 2
MAX_QUERY_TERMS = 5

# Find a user and read their identification data.
FINDER_ROLES = frozenset(
    {Role.CUSTOMER_SERVICE, Role.ICT_LINE_MANAGER, Role.ACCOUNT_MANAGER, Role.IT_ADMIN}
)
# The activity log (logins, last activity) and the monitoring overview.
ACTIVITY_ROLES = frozenset({Role.CUSTOMER_SERVICE, Role.ICT_LINE_MANAGER, Role.IT_ADMIN})


def may_find_users(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in FINDER_ROLES


def may_see_activity(user) -> bool:
    return may_find_users(user) and user.role in ACTIVITY_ROLES


def find_users(query: str):
    """Users whose e-mail address or name holds every word of ``query``, in any organisation.

    Only these three identification fields are searched: never a trajectory title, a message
    or anything else a person wrote, so a search cannot be used to find content.
    """
    terms = query.split()[:MAX_QUERY_TERMS]
    users = User.objects.select_related("organisation").order_by("last_name", "first_name", "email")
    for term in terms:
        users = users.filter(
            Q(email__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
        )
    return users


def get_user_for(viewer, uuid) -> User:
    """The one loader for the support pages: 404 for a viewer who may not, or an unknown id."""
    if not may_find_users(viewer):
        raise Http404
    user = User.objects.select_related("organisation").filter(pk=uuid).first()
    if user is None:
        raise Http404
    return user


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def login_attempts_of(user):
    """Attempts tied to the account, plus those typed with its address (refused ones carry
    only the address)."""
    return LoginAttempt.objects.filter(Q(user=user) | Q(email=user.email)).order_by("-at", "pk")


# Browser families and systems, most specific first: Edge and Opera also say "Chrome",
# Chrome also says "Safari", Android also says "Linux".
_BROWSERS = (
    ("Edge", r"Edg(?:e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/|Chromium/"),
    ("Safari", r"Safari/"),
)
_SYSTEMS = (
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad|iPod"),
    ("Windows", r"Windows"),
    ("macOS", r"Macintosh|Mac OS X"),
    ("ChromeOS", r"CrOS"),
    ("Linux", r"Linux"),
)


def browser_summary(user_agent: str) -> str:
    """'Firefox · Windows' from a user-agent string; the string itself when unrecognised."""
    browser = next((name for name, pattern in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or user_agent[:60]
