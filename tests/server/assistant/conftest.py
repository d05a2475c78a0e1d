"""The labelled sample calls live outside the repository (``../shared/data/phone-calls``)."""

from __future__ import annotations

import pytest

from bench.assistant import SampleCall, default_sample_path, load_sample


@pytest.fixture(scope="session")
def sample_calls() -> list[SampleCall]:
    path = default_sample_path()
    if not path.is_file():
        pytest.skip(f"the evaluation sample is not on this machine: {path}")
    return load_sample(path)
