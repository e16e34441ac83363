"""Template filters that ask accounts.support which support pages a user may use."""

from django import template

from accounts import support

register = template.Library()


@register.filter
def may_find_users(user) -> bool:
    return support.may_find_users(user)


@register.filter
def may_see_activity(user) -> bool:
    return support.may_see_activity(user)


@register.filter
def browser_summary(user_agent: str) -> str:
    return support.browser_summary(user_agent or "")
