"""The phone assistant's triage on the labelled sample calls (issue 5, "Accuracy and speed").

Text mode: each transcript of ``../shared/data/phone-calls/sample.jsonl`` (30 German calls,
labelled; used only to evaluate, never to train) goes through ``analyze_text`` and is compared
with its labels:

* category accuracy >= 90 %;
* emergency recall = 100 % (every labelled emergency comes out as category ``emergency`` and
  urgent);
* non-emergencies flagged urgent <= 5 %;
* date of birth exact (ISO) >= 90 %;
* phone exact >= 90 % (both sides normalised to E.164 before comparing);
* name >= 85 % (full name, case- and whitespace-insensitive).

``evaluate()`` takes any list of analyses, so the audio mode (espeak-ng -> WAV ->
``analyze --wav``) can reuse it with its own targets.

Run: ``python -m bench.assistant [--sample PATH]``. The last line is the JSON summary.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from backend_server.assistant.analysis import CallAnalysis
from backend_server.assistant.triage import analyze_text, llm
from backend_server.assistant.triage.extract import names_equal, phones_equal
from backend_server.config import Settings

SAMPLE_RELATIVE = Path("shared/data/phone-calls/sample.jsonl")
# (comparison, bound) per figure; fractions in 0..1.
TEXT_TARGETS: dict[str, tuple[str, float]] = {
    "category_accuracy": (">=", 0.90),
    "emergency_recall": (">=", 1.0),
    "non_emergency_urgent_rate": ("<=", 0.05),
    "dob_exact": (">=", 0.90),
    "phone_exact": (">=", 0.90),
    "name_match": (">=", 0.85),
}


@dataclass(frozen=True)
class SampleCall:
    id: str
    category: str
    urgent: bool
    name: str | None
    dob: str | None
    phone: str | None
    text: str


def default_sample_path() -> Path:
    """``<repo>/../shared/...`` as the issue names it; a worktree nested deeper finds it
    further up."""
    repo = Path(__file__).resolve().parent.parent
    for base in (repo.parent, *repo.parent.parents):
        candidate = base / SAMPLE_RELATIVE
        if candidate.is_file():
            return candidate
    return repo.parent / SAMPLE_RELATIVE


def load_sample(path: Path) -> list[SampleCall]:
    calls = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            calls.append(SampleCall(id=str(row["id"]), category=str(row["category"]),
                                    urgent=bool(row["urgent"]), name=row.get("name"),
                                    dob=row.get("dob"), phone=row.get("phone"),
                                    text=str(row["text"])))
    return calls


def _rate(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 1.0


def evaluate(sample: Sequence[SampleCall],
             analyses: Sequence[CallAnalysis]) -> dict[str, object]:
    """The six figures (fractions) plus, per figure, the ids that missed."""
    pairs = list(zip(sample, analyses, strict=True))
    emergencies = [(s, a) for s, a in pairs if s.category == "emergency"]
    others = [(s, a) for s, a in pairs if s.category != "emergency"]
    misses: dict[str, list[str]] = {
        "category": [s.id for s, a in pairs if a.category != s.category],
        "emergency": [s.id for s, a in emergencies
                      if not (a.category == "emergency" and a.urgent)],
        "urgent_non_emergency": [s.id for s, a in others if a.urgent],
        "dob": [s.id for s, a in pairs if a.caller.dob != s.dob],
        "phone": [s.id for s, a in pairs if not phones_equal(a.caller.phone, s.phone)],
        "name": [s.id for s, a in pairs if not names_equal(a.caller.name, s.name)],
    }
    n = len(pairs)
    return {
        "calls": n,
        "category_accuracy": _rate(n - len(misses["category"]), n),
        "emergency_recall": _rate(len(emergencies) - len(misses["emergency"]),
                                  len(emergencies)),
        "non_emergency_urgent_rate": _rate(len(misses["urgent_non_emergency"]), len(others)),
        "dob_exact": _rate(n - len(misses["dob"]), n),
        "phone_exact": _rate(n - len(misses["phone"]), n),
        "name_match": _rate(n - len(misses["name"]), n),
        "misses": misses,
    }


def run_text(sample: Sequence[SampleCall], settings: Settings | None = None) -> dict[str, object]:
    """Text mode: the transcripts straight into ``analyze_text``."""
    settings = settings if settings is not None else Settings()
    started = time.perf_counter()
    analyses = [analyze_text(call.text, settings=settings) for call in sample]
    seconds = time.perf_counter() - started
    figures = evaluate(sample, analyses)
    # The first call trains the classifier: the mean includes it once.
    figures["ms_per_call"] = round(seconds * 1000 / max(1, len(sample)), 2)
    figures["llm"] = llm.config_from(settings) is not None
    return figures


def met(figures: dict[str, object], targets: dict[str, tuple[str, float]]) -> bool:
    def ok(name: str, op: str, bound: float) -> bool:
        value = figures[name]
        assert isinstance(value, float | int)
        return value >= bound if op == ">=" else value <= bound
    return all(ok(name, op, bound) for name, (op, bound) in targets.items())


def summary(figures: dict[str, object],
            targets: dict[str, tuple[str, float]] = TEXT_TARGETS) -> str:
    shown = {k: v for k, v in figures.items() if k != "misses"}
    return json.dumps({"bench": "assistant", "figures": shown,
                       "targets": {k: f"{op} {bound:g}" for k, (op, bound) in targets.items()},
                       "met": met(figures, targets)})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.assistant",
                                     description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sample", type=Path, default=None, metavar="PATH",
                        help=f"labelled calls (default: <repo>/../{SAMPLE_RELATIVE})")
    args = parser.parse_args(argv)
    path: Path = args.sample or default_sample_path()
    if not path.is_file():
        print(f"error: no sample at {path} (use --sample PATH)", file=sys.stderr)
        return 2
    sample = load_sample(path)
    figures = run_text(sample)
    misses = figures["misses"]
    assert isinstance(misses, dict)
    print(f"text mode on {len(sample)} calls from {path}"
          f" ({'with' if figures['llm'] else 'without'} LLM refinement)")
    for name, (op, bound) in TEXT_TARGETS.items():
        print(f"  {name}: {figures[name]} (target {op} {bound:g})")
    print(f"  ms per call: {figures['ms_per_call']} (includes training the classifier once)")
    for kind, ids in misses.items():
        if ids:
            print(f"  missed {kind}: {', '.join(ids)}")
    line = summary(figures)
    print(line)
    return 0 if json.loads(line)["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
