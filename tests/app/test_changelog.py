"""CHANGELOG.md follows Keep a Changelog and has a section for the version being built."""

from __future__ import annotations

import re
from pathlib import Path

from app import __version__

CHANGELOG = Path(__file__).resolve().parents[2] / "CHANGELOG.md"
# "## [1.2.3] - 2026-11-28" once released, "## [1.2.3] - Unreleased" while being prepared.
RELEASE = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2}|Unreleased)$")
KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def _headings() -> list[str]:
    return [line for line in CHANGELOG.read_text(encoding="utf-8").splitlines()
            if line.startswith("## ")]


def test_the_current_version_has_a_section() -> None:
    """A version bump without a changelog entry fails here."""
    versions = [m.group("version") for h in _headings() if (m := RELEASE.match(h))]
    assert __version__ in versions, (
        f"CHANGELOG.md has no '## [{__version__}] - <date>' section: add one for this version")


def test_keep_a_changelog_shape() -> None:
    text = CHANGELOG.read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "https://keepachangelog.com/" in text
    headings = _headings()
    assert headings[0] == "## [Unreleased]"  # upcoming changes always on top
    releases = headings[1:]
    assert releases
    assert all(RELEASE.match(h) for h in releases), releases
    versions = [RELEASE.match(h).group("version") for h in releases]  # type: ignore[union-attr]
    assert len(set(versions)) == len(versions)
    kinds = {line[4:] for line in text.splitlines() if line.startswith("### ")}
    assert kinds <= KINDS, kinds - KINDS
    # Newest first: the top release is the version being built.
    assert versions[0] == __version__
