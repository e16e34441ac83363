from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join Pluform through an invitation only."""

    def is_open_for_signup(self, request):
        return False
