"""Devices and the second factor, as the settings page drives them through the core."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from app.api.client import ApiClient
from app.api.errors import SessionRevoked, TotpRequired
from app.events import EventBus
from app.settings import Profile
from tests.app.conftest import PASSWORD, Practice, logged_in_core


async def test_list_and_revoke_another_device(profile: Profile, bus: EventBus,
                                              practice: Practice) -> None:
    core = await logged_in_core(profile, bus, practice)
    other = ApiClient(practice.server.url)
    await other.login(practice.admin_email, PASSWORD, device_name="Empfang PC 2")

    sessions = await core.list_sessions()
    assert len(sessions) == 2
    assert [s.current for s in sessions].count(True) == 1
    foreign = next(s for s in sessions if not s.current)
    assert foreign.device_name == "Empfang PC 2"

    await core.revoke_session(foreign.id)
    with pytest.raises(SessionRevoked):
        await other.me()  # that device is logged out at once (and told it was revoked)
    assert len(await core.list_sessions()) == 1
    await other.aclose()
    await core.close()


async def test_enable_and_disable_second_factor(profile: Profile, bus: EventBus,
                                                practice: Practice) -> None:
    core = await logged_in_core(profile, bus, practice)
    enrolment = await core.totp_enroll()
    assert enrolment.otpauth_uri.startswith("otpauth://totp/")
    assert "<svg" in enrolment.qr_svg
    totp = pyotp.TOTP(enrolment.secret)
    await core.totp_confirm(totp.at(practice.server.clock.now()))
    assert core.user["totp_enabled"] is True

    probe = ApiClient(practice.server.url)
    with pytest.raises(TotpRequired):
        await probe.login(practice.admin_email, PASSWORD)
    await probe.aclose()

    practice.server.clock.advance(timedelta(seconds=31))  # codes are accepted once
    await core.totp_disable(totp.at(practice.server.clock.now()))
    assert core.user["totp_enabled"] is False
    await core.close()
