import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_page_uses_our_layout_with_language_switch(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert 'class="site-header"' in response.text
    assert 'name="language"' in response.text
    assert reverse("account_reset_password") in response.text


def test_login_page_offers_no_sign_up_link(client):
    response = client.get(reverse("account_login"))
    assert reverse("account_signup") not in response.text


def test_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"), {"email": "new@example.com", "password1": "x" * 12}
    )
    assert response.status_code == 200
    from accounts.models import User

    assert not User.objects.filter(email="new@example.com").exists()


def test_coachee_logs_in_with_email_and_password(client, coachee):
    response = login(client, "Coachee@Example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == coachee


def test_wrong_password_is_refused(client, coachee):
    response = login(client, coachee.email, "wrong password here")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, coachee):
    wrong = login(client, coachee.email, "wrong password here")
    cache.clear()
    unknown = login(client, "nobody@example.com", "wrong password here")
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_inactive_user_cannot_log_in(client, coachee):
    coachee.is_active = False
    coachee.save()
    login(client, coachee.email)
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only_and_ends_the_session(client, coachee):
    client.force_login(coachee)
    assert client.get(reverse("account_logout")).status_code == 200  # confirmation page
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_mail_to_a_known_address(client, coachee):
    response = client.post(reverse("account_reset_password"), {"email": coachee.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coachee.email]


def _without_csrf_token(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_password_reset_does_not_reveal_unknown_addresses(client, coachee):
    known = client.post(reverse("account_reset_password"), {"email": coachee.email}, follow=True)
    unknown = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.com"}, follow=True
    )
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert _without_csrf_token(known.text) == _without_csrf_token(unknown.text)
    # Accounts exist by invitation only: an unknown address gets no "unknown account" notice,
    # so nobody can make us mail arbitrary addresses on demand.
    assert [m.to for m in mail.outbox] == [[coachee.email]]


def _reset_link(client, user):
    client.post(reverse("account_reset_password"), {"email": user.email})
    body = mail.outbox[-1].body
    link = next(word for word in body.split() if "/password/reset/key/" in word)
    return link.split("testserver", 1)[-1]


def test_password_reset_applies_the_password_validators(client, coachee):
    url = client.get(_reset_link(client, coachee), follow=True).redirect_chain[-1][0]
    response = client.post(url, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    coachee.refresh_from_db()
    assert coachee.check_password(PASSWORD)


def test_password_reset_sets_a_new_password(client, coachee):
    url = client.get(_reset_link(client, coachee), follow=True).redirect_chain[-1][0]
    new = "a much better secret phrase"
    response = client.post(url, {"password1": new, "password2": new})
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert coachee.check_password(new)


def test_password_change_rejects_a_weak_password(client, coachee):
    client.force_login(coachee)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    coachee.refresh_from_db()
    assert coachee.check_password(PASSWORD)


def test_password_change_works_with_the_old_password(client, coachee):
    client.force_login(coachee)
    new = "another long pass phrase"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert coachee.check_password(new)
