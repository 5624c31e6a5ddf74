"""The demo's länssamordnare for Dalarna (län 20): reads Orsa's compliance entries and the
other Dalarna kommuner's Brå and police figures, and nothing of any partnership's records."""

from __future__ import annotations

from typing import IO, Any

from django.contrib.auth import get_user_model

from samtrygg.core.demo import DEMO_PASSWORD, register_final_demo_loader
from samtrygg.county.models import CountyAssignment

DEMO_COUNTY_USERS = [("lanssamordnare.dalarna@demo.example", "Lena", "Länssamordnare", "20")]


@register_final_demo_loader
def load_county_demo(partnerships: list[Any], stdout: IO[str]) -> None:
    User = get_user_model()
    for email, first, last, county in DEMO_COUNTY_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(username=email, email=email, first_name=first, last_name=last)
            user.set_password(DEMO_PASSWORD)
            user.save()
        CountyAssignment.objects.get_or_create(user=user, county_id=county)
        stdout.write(
            f"Länssamordnare för län {county}: {email} (samma lösenord som demons övriga)\n"
        )
