"""The unread message count in the top navigation, for coaches and coachees.

One count query per page that shows it, and none on pages that do not (the value is lazy:
it runs only when the navigation renders it) nor for other roles.

Why a query and not a cached value: the count changes on every new message, on every read,
when a message is withdrawn or removed and when someone joins or leaves a dialogue; a cache
would need invalidating from each of those paths (and for every participant of a group),
and a missed path shows a wrong number until it expires. The query is cheap: it starts
from the user's own participant rows (the index on ``participant.user_id``) and reads, per
dialogue, only the messages after their last read in the ``(dialogue, created_at)`` index
(``message_by_dialogue``), so it costs about as much as a cache round trip to Redis.
"""

from django.utils.functional import SimpleLazyObject

from accounts.roles import CONTENT_ROLES
from dialogue.queries import unread_messages


def unread_count(user) -> int:
    return unread_messages(user).count()


def unread(request):
    """``nav_unread``: how many messages the signed-in coach or coachee has not read."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in CONTENT_ROLES:
        return {"nav_unread": 0}
    return {"nav_unread": SimpleLazyObject(lambda: unread_count(user))}
