"""Builds the Windows MSI on Linux with msitools' wixl (tests and quick checks).

    python packaging/windows/build_msi_wixl.py --version 0.1.0 --payload dist/praxisdesk \
        --out praxisdesk-0.1.0-windows-x64.msi

Runs wixl-heat over the payload directory to generate the ``PayloadFiles`` fragment, then wixl
on ``praxisdesk.wxs`` + that fragment. Release MSIs are built on Windows with WiX v3
(``build-msi.ps1``) from the same source. Run by path: ``packaging/`` is not a package.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WXS = HERE / "praxisdesk.wxs"
MAIN_EXE = "praxisdesk.exe"
# wixl ignores Property/@Secure (real WiX needs it); its GLib warning about that is noise.
_KNOWN_NOISE = re.compile(r"no property named 'Secure'")


class BuildError(Exception):
    """A problem the caller can fix (missing tool, bad version, bad payload)."""


def msi_version(version: str) -> str:
    """The version as MSI's ProductVersion: X.Y.Z, X and Y < 256, Z < 65536.

    Windows Installer compares only these three fields when deciding upgrade or downgrade, so
    anything else (``0.2.0rc1``) would silently break MajorUpgrade: refuse it.
    """
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version)
    if match is None:
        raise BuildError(f"version {version!r} is not X.Y.Z (MSI ProductVersion needs three "
                         "numeric fields)")
    major, minor, build = (int(part) for part in match.groups())
    if major > 255 or minor > 255 or build > 65535:
        raise BuildError(f"version {version!r} is out of MSI range (255.255.65535)")
    return f"{major}.{minor}.{build}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BuildError(f"{name} not found on PATH: install msitools "
                         "(Debian/Ubuntu: apt-get install wixl msitools)")
    return path


def _payload_files(payload: Path) -> list[Path]:
    if not payload.is_dir():
        raise BuildError(f"payload directory {payload} does not exist")
    if not (payload / MAIN_EXE).is_file():
        raise BuildError(f"payload directory {payload} holds no {MAIN_EXE}")
    return sorted(p for p in payload.rglob("*") if p.is_file())


def _run(argv: list[str], stdin: str | None = None, cwd: Path | None = None) -> str:
    proc = subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False,
                          cwd=cwd)
    noise_free = "\n".join(line for line in proc.stderr.splitlines()
                           if line.strip() and not _KNOWN_NOISE.search(line))
    if proc.returncode != 0:
        raise BuildError(f"{Path(argv[0]).name} failed (exit {proc.returncode}):\n{noise_free}")
    if noise_free:
        sys.stderr.write(noise_free + "\n")
    return proc.stdout


def generate_fragment(payload: Path, heat: str) -> str:
    """The ``PayloadFiles`` ComponentGroup under INSTALLDIR, sources as ``$(var.PayloadDir)``."""
    prefix = str(payload) + "/"
    listing = "".join(f"{p}\n" for p in _payload_files(payload))
    return _run([heat, "--prefix", prefix, "--directory-ref", "INSTALLDIR",
                 "--component-group", "PayloadFiles", "--var", "var.PayloadDir", "--win64"],
                stdin=listing)


def build_msi(version: str, payload: Path, out: Path) -> Path:
    heat, wixl = _tool("wixl-heat"), _tool("wixl")
    product_version = msi_version(version)
    payload = payload.resolve()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="praxisdesk-msi-") as work:
        fragment = Path(work) / "payload.wxs"
        fragment.write_text(generate_fragment(payload, heat), encoding="utf-8")
        # Write next to the target, then rename: a half-written MSI never carries the name.
        partial = out.with_name(out.name + ".partial")
        try:
            # wixl resolves File/@Source only relative to its working directory (absolute
            # sources fail), hence cwd=payload and PayloadDir=".".
            _run([wixl, "--arch", "x64",
                  "-D", f"Version={product_version}",
                  "-D", "PayloadDir=.",
                  "-D", "Win64=yes",
                  "-o", str(partial), str(WXS), str(fragment)], cwd=payload)
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Praxisdesk MSI with wixl.")
    parser.add_argument("--version", required=True, help="product version X.Y.Z")
    parser.add_argument("--payload", required=True, type=Path,
                        help="bundle directory holding praxisdesk.exe (PyInstaller dist)")
    parser.add_argument("--out", required=True, type=Path, help="the .msi to write")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        out = build_msi(args.version, args.payload, args.out)
    except BuildError as exc:
        sys.stderr.write(f"build_msi_wixl: {exc}\n")
        return 2
    size_kib = out.stat().st_size / 1024
    print(f"{out} ({size_kib:.0f} KiB) built in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
