# PyInstaller runtime hook of the client (Linux): sounddevice looks PortAudio up with
# ctypes.util.find_library("portaudio"), which only knows the system's libraries. The system's
# copy is preferred (it matches the machine's ALSA/PulseAudio set-up); without one, the copy
# shipped in the bundle is used, so calls have sound on a desktop without libportaudio2.
import ctypes.util
import os
import sys


def _install() -> None:
    if not sys.platform.startswith("linux"):
        return
    system_find = ctypes.util.find_library
    bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "libportaudio.so.2")

    def find_library(name: str) -> str | None:
        found = system_find(name)
        if found is None and name == "portaudio" and os.path.isfile(bundled):
            return bundled
        return found

    ctypes.util.find_library = find_library


_install()
