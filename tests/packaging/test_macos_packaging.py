"""macOS packaging checked on Linux: the dmgbuild settings load the way dmgbuild loads them,
and the .app's Info.plist is a valid plist that lets macOS ask for camera and microphone.

dmgbuild itself cannot even be imported off macOS, so the settings file is executed the way
dmgbuild's ``load_settings`` does it (``exec`` into its options dict, no ``__file__``)."""

from __future__ import annotations

import plistlib
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import app

REPO_ROOT = Path(__file__).resolve().parents[2]
MACOS = REPO_ROOT / "packaging" / "macos"
SETTINGS = MACOS / "dmg_settings.py"
VERSION = app.__version__


def _dmgbuild_exec(defines: dict[str, str]) -> dict[str, Any]:
    """What dmgbuild's build_dmg does: its defaults plus ``defines``, the file exec'd into it."""
    options: dict[str, Any] = {"filename": "out.dmg", "volume_name": "from the command line",
                               "format": "UDBZ", "files": [], "symlinks": {},
                               "icon_locations": {}, "defines": defines}
    code = compile(SETTINGS.read_text(encoding="utf-8"), str(SETTINGS), "exec")
    exec(code, options, options)  # noqa: S102 - exactly what dmgbuild does with the file
    return options


def test_dmg_settings_lay_out_drag_to_applications() -> None:
    defines = {"app": "dist/Praxisdesk.app", "version": VERSION}
    loaded = runpy.run_path(str(SETTINGS), init_globals={"defines": defines})
    as_dmgbuild = _dmgbuild_exec(defines)
    for settings in (loaded, as_dmgbuild):
        assert settings["format"] == "UDZO"
        assert settings["files"] == ["dist/Praxisdesk.app"]
        assert settings["symlinks"] == {"Applications": "/Applications"}
        assert settings["volume_name"] == f"Praxisdesk {VERSION}"
        locations = settings["icon_locations"]
        assert set(locations) == {"Praxisdesk.app", "Applications"}
        (app_x, app_y), (apps_x, apps_y) = locations["Praxisdesk.app"], locations["Applications"]
        assert app_y == apps_y
        assert app_x < apps_x  # drag from left to right
        (_, _), (width, height) = settings["window_rect"]
        icon = settings["icon_size"]
        for x, y in locations.values():  # both icons fully inside the window
            assert icon / 2 <= x <= width - icon / 2
            assert icon / 2 <= y <= height - icon / 2
        assert settings["default_view"] == "icon-view"
        # dmgbuild treats a string matching #rrggbb (lower case) as a colour, else a file.
        assert settings["background"].startswith("#")
        assert settings["background"] == settings["background"].lower()
        assert len(settings["background"]) == 7


def test_dmg_settings_refuse_a_build_without_app_or_version() -> None:
    with pytest.raises(ValueError, match="-D app"):
        _dmgbuild_exec({"version": VERSION})
    with pytest.raises(ValueError, match="-D version"):
        _dmgbuild_exec({"app": "dist/Praxisdesk.app"})
    with pytest.raises(ValueError, match=r"\.app bundle"):
        _dmgbuild_exec({"app": "dist/praxisdesk", "version": VERSION})


def test_build_dmg_script_refuses_to_run_off_macos() -> None:
    script = MACOS / "build-dmg.sh"
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    if sys.platform == "darwin":
        pytest.skip("this checks the refusal off macOS; on macOS the release workflow builds")
    result = subprocess.run(["bash", str(script), VERSION], capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 2
    assert "needs macOS" in result.stderr
    assert "dmg_settings.py" in script.read_text(encoding="utf-8")


def test_info_plist_is_valid_and_asks_for_camera_and_microphone_in_both_languages() -> None:
    helpers = runpy.run_path(str(MACOS / "info_plist.py"))
    version_script = subprocess.run([sys.executable, "packaging/version.py"], cwd=REPO_ROOT,
                                    capture_output=True, text=True, timeout=30, check=True)
    assert version_script.stdout.strip() == VERSION

    for fmt in (plistlib.FMT_XML, plistlib.FMT_BINARY):
        data = plistlib.dumps(helpers["info_plist"](VERSION), fmt=fmt)
        plist = plistlib.loads(data)
        assert plist == helpers["info_plist"](VERSION)
    assert plist["CFBundleIdentifier"] == "de.praxisdesk.client"
    assert plist["CFBundleShortVersionString"] == VERSION
    assert plist["CFBundleVersion"] == VERSION
    assert plist["CFBundleDevelopmentRegion"] == "de"
    assert set(plist["CFBundleLocalizations"]) == {"de", "en"}
    assert plist["NSPrincipalClass"] == "NSApplication"

    strings = helpers["localized_strings"]()
    assert set(strings) == {"de", "en"}
    keys = {"NSCameraUsageDescription", "NSMicrophoneUsageDescription"}
    for language in ("de", "en"):
        assert set(strings[language]) == keys
        for text in strings[language].values():
            assert text.strip()
            assert '"' not in text  # would need escaping in InfoPlist.strings
    # The plist carries the German text (development region); English comes from en.lproj.
    assert {k: plist[k] for k in keys} == strings["de"]
    assert "Kamera" in strings["de"]["NSCameraUsageDescription"]
    assert "Mikrofon" in strings["de"]["NSMicrophoneUsageDescription"]
    assert "camera" in strings["en"]["NSCameraUsageDescription"]
    assert "microphone" in strings["en"]["NSMicrophoneUsageDescription"]
