"""Builds the one-folder desktop bundle: ``python packaging/build_bundle.py [--dist DIR]
[--work DIR]``.

Runs PyInstaller on packaging/praxisdesk.spec with this Python (same command on Linux,
Windows and macOS; CI uses it on all three) and prints the bundle's size and the build time.
The result is DIST/praxisdesk/ (executables ``praxisdesk`` and ``praxisdesk-server``), on
macOS also DIST/Praxisdesk.app.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "praxisdesk.spec"


def tree_size(path: Path) -> int:
    """Bytes of all files below path; symlinks (PyInstaller uses them on POSIX) count once."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            file = Path(folder) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def build(dist: Path, work: Path, *, quiet: bool = False) -> int:
    argv = [sys.executable, "-m", "PyInstaller", "--noconfirm",
            "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    if quiet:
        argv[3:3] = ["--log-level", "WARN"]
    started = time.monotonic()
    done = subprocess.run(argv, cwd=ROOT, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        print(f"PyInstaller failed with exit code {done.returncode} after {seconds:.1f} s",
              file=sys.stderr)
        return done.returncode
    bundle = dist / "praxisdesk"
    print(f"bundle: {bundle}")
    print(f"bundle size: {tree_size(bundle) / 1e6:.1f} MB")
    app = dist / "Praxisdesk.app"
    if app.is_dir():
        print(f"macOS app: {app} ({tree_size(app) / 1e6:.1f} MB)")
    print(f"build time: {seconds:.1f} s")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="PyInstaller's work folder (default: build/)")
    parser.add_argument("--quiet", action="store_true", help="only PyInstaller's warnings")
    args = parser.parse_args()
    return build(args.dist.resolve(), args.work.resolve(), quiet=args.quiet)


if __name__ == "__main__":
    sys.exit(main())
