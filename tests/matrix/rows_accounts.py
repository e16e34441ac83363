"""Access matrix rows for accounts: allauth, language switch, profile, invitations, both admins."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts import invitations, services
from accounts.models import Invitation
from accounts.roles import Role
from pluform.uploads import validate_upload
from tests.matrix import ACTORS, LOGGED_IN, Row

EVERYONE = dict.fromkeys(LOGGED_IN, 200)
ALL_REDIRECTED = dict.fromkeys(ACTORS, 302)
INVITERS = ["coach", "other_coach", "org_manager", "stranger_coach"]
NOT_INVITERS = {actor: 403 for actor in LOGGED_IN if actor not in INVITERS}


# A fresh address per request: five resets a minute for one address is allauth's limit.
_serial = itertools.count()


def build(world):
    world["invitation"] = invitations.invite(
        organisation=world["coach"].organisation,
        email="matrix-invitee@example.com",
        role=Role.COACHEE,
        language="nl",
        invited_by=world["coach"],
        coach=world["coach"],
    )
    # A second invitation whose token the rows know (the first one's only went by e-mail).
    token = "matrix-token-for-the-access-matrix-rows"
    Invitation.objects.filter(pk=world["invitation"].pk).update(
        token_hash=invitations.hash_token(token)
    )
    world["invitation_token"] = token
    services.set_photo(world["coachee"], validate_upload(_png(), kinds=("image",)))


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _url(name, *args):
    return lambda w: reverse(name, args=args)


ROWS = [
    # allauth: login, logout, password, sign-up (closed), re-authentication
    Row("account_login", _url("account_login"), expect={"anonymous": 200}, default=302),
    Row(
        "account_login",
        _url("account_login"),
        method="post",
        data=lambda w: {"login": "nobody@example.com", "password": "wrong password"},
        expect={"anonymous": 200},
        default=302,
    ),
    Row("account_logout", _url("account_logout"), expect=EVERYONE),
    Row("account_logout", _url("account_logout"), method="post", default=302),
    Row("account_inactive", _url("account_inactive"), expect={**EVERYONE, "anonymous": 200}),
    Row("account_signup", _url("account_signup"), expect={"anonymous": 200}, default=302),
    Row("account_reauthenticate", _url("account_reauthenticate"), expect=EVERYONE),
    # Re-authentication is by password only: the e-mailed code is refused to everyone.
    *(
        Row(name, _url(name), method=method, default=403)
        for name in (
            "account_request_reauthentication_code",
            "account_confirm_reauthentication_code",
        )
        for method in ("get", "post")
    ),
    Row("account_email", lambda w: "/accounts/email/", expect=ALL_REDIRECTED),
    Row(
        "account_email_verification_sent",
        _url("account_email_verification_sent"),
        expect={**EVERYONE, "anonymous": 200},
    ),
    Row(
        "account_confirm_email",
        _url("account_confirm_email", "not-a-key"),
        expect={**EVERYONE, "anonymous": 200},
    ),
    Row("account_change_password", _url("account_change_password"), expect=EVERYONE),
    Row("account_set_password", _url("account_set_password"), default=302),
    Row(
        "account_reset_password",
        _url("account_reset_password"),
        expect={**EVERYONE, "anonymous": 200},
    ),
    Row(
        "account_reset_password",
        _url("account_reset_password"),
        method="post",
        data=lambda w: {"email": f"nobody{next(_serial)}@example.com"},
        expect=ALL_REDIRECTED,
    ),
    Row(
        "account_reset_password_done",
        _url("account_reset_password_done"),
        expect={**EVERYONE, "anonymous": 200},
    ),
    Row(
        "account_reset_password_from_key",
        _url("account_reset_password_from_key", "1", "bad"),
        expect={**EVERYONE, "anonymous": 200},
    ),
    Row(
        "account_reset_password_from_key_done",
        _url("account_reset_password_from_key_done"),
        expect={**EVERYONE, "anonymous": 200},
    ),
    Row("account_confirm_login_code", _url("account_confirm_login_code"), default=302),
    # allauth.mfa: every page below /accounts/2fa/ needs a login.
    Row("accounts/2fa/", _url("mfa_index"), expect=EVERYONE, prefix=True),
    # Language switch (a signed-in user's choice is kept in their profile): POST only.
    Row(
        "set_language",
        _url("set_language"),
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
        expect=ALL_REDIRECTED,
    ),
    Row("set_language", _url("set_language"), default=405, anonymous=405),
    # Profile
    Row("accounts:profile", _url("accounts:profile"), expect=EVERYONE),
    Row(
        "accounts:profile",
        _url("accounts:profile"),
        method="post",
        data=lambda w: {},
        expect=EVERYONE,
    ),
    Row("accounts:change_email", _url("accounts:change_email"), default=302),
    Row("accounts:email", _url("accounts:email"), expect=ALL_REDIRECTED),
    Row(
        "accounts:photo",
        lambda w: reverse("accounts:photo", args=[w["coachee"].uuid]),
        expect={"coachee": 200, "coach": 200},
    ),
    # Invitations
    Row(
        "accounts:invitations",
        _url("accounts:invitations"),
        expect={**NOT_INVITERS, **dict.fromkeys(INVITERS, 200)},
    ),
    Row(
        "accounts:invitations",
        _url("accounts:invitations"),
        method="post",
        data=lambda w: {},
        expect={**NOT_INVITERS, **dict.fromkeys(INVITERS, 200)},
    ),
    Row(
        "accounts:revoke_invitation",
        lambda w: reverse("accounts:revoke_invitation", args=[w["invitation"].uuid]),
        default=405,
    ),
    Row(
        "accounts:revoke_invitation",
        lambda w: reverse("accounts:revoke_invitation", args=[w["invitation"].uuid]),
        method="post",
        expect={"coach": 302, "org_manager": 302},
        default=404,
    ),
    Row(
        "accounts:accept_invitation",
        lambda w: reverse("accounts:accept_invitation", args=[w["invitation_token"]]),
        expect={**EVERYONE, "anonymous": 200},
    ),
    Row(
        "accounts:accept_invitation",
        lambda w: reverse("accounts:accept_invitation", args=["unknown-token"]),
        default=404,
        anonymous=404,
    ),
    # The IT administrator's Django admin: nobody else, not even the organisation manager.
    Row("admin/", _url("admin:index"), expect={"it_admin": 200}, default=403, prefix=True),
    Row(
        "admin/",
        _url("admin:accounts_user_changelist"),
        expect={"it_admin": 200},
        default=403,
        prefix=True,
    ),
    Row(
        "admin/",
        _url("admin:accounts_loginattempt_changelist"),
        expect={"it_admin": 200},
        default=403,
        prefix=True,
    ),
    # The organisation manager's scoped admin.
    Row(
        "organisation/",
        _url("organisation:index"),
        expect={"org_manager": 200},
        default=403,
        prefix=True,
    ),
    Row(
        "organisation/",
        _url("organisation:accounts_organisationcoachee_changelist"),
        expect={"org_manager": 200},
        default=403,
        prefix=True,
    ),
    Row(
        "organisation/",
        lambda w: reverse(
            "organisation:accounts_organisationcoachee_change", args=[w["stranger_coachee"].pk]
        ),
        expect={"org_manager": 302},
        default=403,
        prefix=True,
    ),
    Row(
        "organisation/",
        _url("organisation:accounts_trajectory_changelist"),
        expect={"org_manager": 200},
        default=403,
        prefix=True,
    ),
]
