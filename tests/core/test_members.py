"""Members and invitations: the default e-mail setting prints mail, a mail that cannot be sent
never becomes a 500 (the invitation is kept and its link shown to copy), invitations can be
sent again, the samordnare manages members and roles can be changed after inviting."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samtrygg.core.models import AuditEntry, Invitation, Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _settings_in_a_fresh_process(email_url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    if email_url is not None:
        env["EMAIL_URL"] = email_url
    env["DJANGO_SETTINGS_MODULE"] = "samtrygg.settings"
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_BACKEND)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_the_default_prints_mail_to_the_console() -> None:
    done = _settings_in_a_fresh_process(None)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_an_unknown_mail_scheme_stops_the_start_instead_of_falling_back_to_smtp() -> None:
    done = _settings_in_a_fresh_process("consolemail://")
    assert done.returncode != 0
    assert "EMAIL_URL" in done.stderr and "consolemail" in done.stderr


def _invite(client: Any, orsa: Any, email: str, role: str = "rapportor") -> Any:
    return client.post(
        reverse("member-list"),
        {"email": email, "role": role, "organisation": orsa.other_organisation.pk},
    )


def _page_link(response: Any) -> str:
    match = re.search(
        r'id="id_invitation_url" readonly value="https?://[^/"]+(/inbjudan/[^/"]+/)"',
        response.content.decode(),
    )
    assert match, "the page shows no invitation link"
    return match.group(1)


@pytest.fixture
def unreachable_mail_server(settings: Any) -> None:
    """SMTP to a port where nothing listens: connecting fails at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard; nothing listens here
    settings.EMAIL_TIMEOUT = 2


def test_a_mail_that_cannot_be_sent_keeps_the_invitation_and_shows_its_link(
    orsa: Any, login: Any, unreachable_mail_server: None
) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    response = _invite(client, orsa, "Nora.Nilsson@Test.example")
    assert response.status_code == 200
    page = response.content.decode()
    assert "e-brevet kunde inte skickas" in page.lower()
    assert "no-store" in response["Cache-Control"]
    assert Invitation.objects.filter(email="nora.nilsson@test.example").exists()

    path = _page_link(response)
    visitor = Client()
    assert visitor.get(path).status_code == 200
    accepted = visitor.post(path, {"first_name": "Nora", "last_name": "N", "password": PASSWORD})
    assert accepted.status_code == 302
    assert Membership.objects.filter(user__email="nora.nilsson@test.example").exists()


def test_an_invitation_is_sent_again_with_a_new_link(
    orsa: Any, login: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    first = _page_link(_invite(client, orsa, "sen@test.example"))
    invitation = Invitation.objects.get(email="sen@test.example")
    assert len(mailoutbox) == 1

    response = client.post(
        reverse("member-list"), {"action": "resend", "invitation": invitation.pk}
    )
    assert response.status_code == 200
    second = _page_link(response)
    assert second != first
    assert len(mailoutbox) == 2 and second in mailoutbox[1].body
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    assert AuditEntry.objects.filter(model="core.Invitation", action="update").exists()


def test_the_samordnare_invites_from_the_members_page(
    orsa: Any, login: Any, mailoutbox: Any
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("member-list"))
    assert "Skicka inbjudan" in page.content.decode()
    response = _invite(client, orsa, "ny.kollega@test.example", "analytiker")
    assert response.status_code == 200
    assert [m.to for m in mailoutbox] == [["ny.kollega@test.example"]]


def test_a_role_is_changed_after_inviting(orsa: Any, login: Any) -> None:
    # analytiker reads every report: only a samordnare may take that role away
    member = Membership.objects.get(user=orsa.user("analytiker"))
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(
        reverse("member-list"), {"action": "role", "membership": member.pk, "role": "styrgrupp"}
    )
    assert response.status_code == 302
    roles = set(
        Membership.objects.filter(
            user=orsa.user("analytiker"), partnership=orsa.partnership
        ).values_list("role", flat=True)
    )
    assert roles == {"styrgrupp"}


@pytest.mark.parametrize("bad", ["²", "1" * 25, "-3", "abc"])
def test_malformed_ids_on_the_members_page_are_refused(orsa: Any, login: Any, bad: str) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    for data in (
        {"action": "remove", "membership": bad},
        {"action": "role", "membership": bad, "role": "styrgrupp"},
        {"action": "resend", "invitation": bad},
        {"email": "x@test.example", "role": "rapportor", "organisation": bad},
    ):
        response = client.post(reverse("member-list"), data)
        assert response.status_code == 400, data
        assert "no-store" in response["Cache-Control"]


def test_a_forgotten_password_is_reset_through_a_mailed_link(orsa: Any, mailoutbox: Any) -> None:
    user = orsa.user("rapportor")
    visitor = Client()
    login_page = visitor.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    response = visitor.post(reverse("password_reset"), {"email": user.email.upper()})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == [user.email]
    path = re.search(r"https?://[^/\s]+(/nytt-losenord/\S+/)", mail.body).group(1)  # type: ignore[union-attr]
    form = visitor.get(path, follow=True)
    assert form.status_code == 200
    done = visitor.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"new_password1": "Ett-nytt-lösen-2026", "new_password2": "Ett-nytt-lösen-2026"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Ett-nytt-lösen-2026")


def test_a_password_reset_whose_mail_fails_is_no_500(
    orsa: Any, unreachable_mail_server: None
) -> None:
    response = Client().post(reverse("password_reset"), {"email": orsa.user("rapportor").email})
    assert response.status_code == 302
