"""dmgbuild settings for the Praxisdesk disk image: the app and an Applications link side by
side, so installing is one drag.

dmgbuild executes this file with a namespace holding its defaults and ``defines`` (the
``-D key=value`` options); every top-level name set here becomes a setting. Used by
``packaging/macos/build-dmg.sh``:

    dmgbuild -s packaging/macos/dmg_settings.py -D app=dist/Praxisdesk.app -D version=1.2.3 \
        "Praxisdesk 1.2.3" dist/praxisdesk-1.2.3-macos.dmg

dmgbuild runs the file through ``exec`` without ``__file__``, so nothing here may rely on it.
"""

from __future__ import annotations

import os.path

_defines: dict[str, str] = dict(globals().get("defines") or {})
for _key in ("app", "version"):
    if not _defines.get(_key):
        raise ValueError(f"dmg_settings.py needs -D {_key}=... (see build-dmg.sh)")

application = _defines["app"].rstrip("/")
if not application.endswith(".app"):
    raise ValueError(f"-D app must name the .app bundle, not {application!r}")
version = _defines["version"]
appname = os.path.basename(application)

# The name Finder shows for the mounted image (overrides dmgbuild's positional argument so
# the volume always carries the version the artifact name carries).
volume_name = f"Praxisdesk {version}"

# Compressed read-only image (zlib): opens on every supported macOS (12+), unlike ULFO/ULMO.
format = "UDZO"  # dmgbuild's name for it (shadows the builtin only in this file)
compression_level = 9
filesystem = "HFS+"
size = None  # dmgbuild computes it from the files

files = [application]
symlinks = {"Applications": "/Applications"}
hide_extensions = [appname]

# Window layout: app on the left, Applications on the right, nothing else to click on.
window_rect = ((200, 120), (600, 360))
default_view = "icon-view"
icon_size = 128
text_size = 13
show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
arrange_by = None
icon_locations = {
    appname: (150, 170),
    "Applications": (450, 170),
}
# A calm light background (dmgbuild accepts #rrggbb in lower case as a colour).
background = "#eef2f5"
