"""The release workflow: valid YAML, the three platforms, versioned artifacts, signing only
where its secrets are set, and the same build commands as the IT guide describes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

import app

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = REPO_ROOT / ".github" / "workflows" / "release.yml"
GUIDE = REPO_ROOT / "docs" / "it-guide.md"
GUIDE_SECTION = "## Release-Builds"

_VERSION_FORMS = (r"\$\{\{\s*needs\.version\.outputs\.version\s*\}\}",
                  r"\$\{\{\s*env\.VERSION\s*\}\}", r"\$env:VERSION", r"\$\{VERSION\}",
                  r"\$VERSION\b", r"<version>")
# A command that runs something of this repository (not pip, tar or the runner's tools).
_REPO_COMMAND = re.compile(r"^(python (packaging|scripts)/|packaging/|scripts/|dev |"
                           r"dist/\S+ --self-test)")
_REPO_PATH = re.compile(r"(?<![\w/])(?:\./)?((?:packaging|scripts)/[\w./-]*\w|dev(?= ))")


def _workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def _triggers(data: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    triggers: dict[str, Any] = data.get("on", data.get(True))
    return triggers


def _steps(job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _workflow()["jobs"][job]["steps"]
    return steps


def _normalize(command: str) -> str:
    for form in _VERSION_FORMS:
        command = re.sub(form, "<version>", command)
    command = command.replace('"', "").replace("'", "").replace("\\", "/")
    command = " ".join(command.split())
    return command.removeprefix("./")


def _repo_commands(lines: list[str]) -> set[str]:
    found = set()
    for line in lines:
        # Commands inside $(...) count too: VERSION="$(python packaging/version.py)".
        for candidate in [line, *re.findall(r"\$\(([^)]*)\)", line)]:
            normalized = _normalize(candidate)
            if _REPO_COMMAND.match(normalized):
                found.add(normalized)
    return found


def _workflow_run_lines() -> list[str]:
    return [line.strip() for job in _workflow()["jobs"].values() for step in job["steps"]
            if "run" in step for line in step["run"].splitlines()
            if line.strip() and not line.strip().startswith("#")]


def _guide_commands() -> set[str]:
    text = GUIDE.read_text(encoding="utf-8")
    assert GUIDE_SECTION in text, f"docs/it-guide.md has no section {GUIDE_SECTION!r}"
    section = text.split(GUIDE_SECTION, 1)[1].split("\n## ", 1)[0]
    lines = [line.strip() for block in re.findall(r"```[a-z]*\n(.*?)```", section, re.DOTALL)
             for line in block.splitlines()]
    return _repo_commands([re.sub(r"\s+#\s.*$", "", line) for line in lines
                           if line and not line.startswith("#")])


def test_workflow_is_valid_yaml_for_tags_and_manual_runs() -> None:
    data = _workflow()
    triggers = _triggers(data)
    assert triggers["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in triggers
    jobs = data["jobs"]
    runners = {job["runs-on"] for job in jobs.values()}
    assert {"windows-latest", "macos-latest", "ubuntu-latest"} <= runners
    for name in ("windows", "macos", "linux"):
        assert "version" in jobs[name]["needs"]
    assert set(jobs["release"]["needs"]) == {"version", "linux", "windows", "macos"}
    assert jobs["release"]["if"] == "github.ref_type == 'tag'"
    # Least privilege: only the release job may write (to create the draft release).
    assert data["permissions"] == {"contents": "read"}


def test_artifacts_carry_the_version() -> None:
    version_expr = "${{ needs.version.outputs.version }}"
    expected = {
        "windows": f"praxisdesk-{version_expr}-windows-x64.msi",
        "macos": f"praxisdesk-{version_expr}-macos.dmg",
        "linux": f"praxisdesk-{version_expr}-linux-x86_64.tar.gz",
    }
    for job, artifact in expected.items():
        uploads = [s for s in _steps(job) if s.get("uses", "").startswith(
            "actions/upload-artifact@")]
        assert len(uploads) == 1, job
        assert uploads[0]["with"]["name"] == artifact
        assert uploads[0]["with"]["path"] == f"dist/{artifact}"
        assert uploads[0]["with"]["if-no-files-found"] == "error"
        # Each file is made under that name by the job's own commands.
        made = " ".join(_normalize(s.get("run", "")) for s in _steps(job))
        assert _normalize(f"dist/{artifact}") in made, job


def test_signing_runs_only_when_its_secrets_are_set() -> None:
    secrets = {"windows": ["WINDOWS_CERT_PFX", "WINDOWS_CERT_PASSWORD"],
               "macos": ["MACOS_CERT_P12", "MACOS_CERT_PASSWORD", "MACOS_CERT_IDENTITY",
                         "MACOS_NOTARY_APPLE_ID", "MACOS_NOTARY_TEAM_ID",
                         "MACOS_NOTARY_PASSWORD"]}
    for job, names in secrets.items():
        env = _workflow()["jobs"][job]["env"]
        for name in names:
            assert env[name] == f"${{{{ secrets.{name} }}}}"
        signing = [s for s in _steps(job) if re.search(
            r"\b(signtool sign|codesign --force|notarytool submit|stapler staple)\b",
            s.get("run", ""))]
        assert signing, job
        for step in signing:
            # Unsigned builds still work (forks, test runs): no secret, no signing step.
            assert f"env.{names[0]} != ''" in step.get("if", ""), step["name"]
    tools = " ".join(s.get("run", "") for s in _steps("macos"))
    for tool in ("codesign", "xcrun notarytool submit", "xcrun stapler staple"):
        assert tool in tools
    assert "packaging/macos/entitlements.plist" in tools


def test_version_step_refuses_a_tag_that_does_not_match(tmp_path: Path) -> None:
    step = next(s for s in _steps("version") if s.get("id") == "version")
    script = tmp_path / "version-step.sh"
    script.write_text(step["run"], encoding="utf-8")
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

    def run(ref_type: str, ref_name: str) -> tuple[int, str, str]:
        output = tmp_path / f"out-{ref_name}"
        output.write_text("", encoding="utf-8")
        result = subprocess.run(
            ["bash", "-eo", "pipefail", str(script)], cwd=REPO_ROOT, capture_output=True,
            text=True, timeout=60, check=False,
            env={**os.environ, "PATH": path, "GITHUB_OUTPUT": str(output),
                 "GITHUB_REF_TYPE": ref_type, "GITHUB_REF_NAME": ref_name})
        return result.returncode, result.stdout, output.read_text(encoding="utf-8")

    code, out, outputs = run("tag", f"v{app.__version__}")
    assert (code, outputs) == (0, f"version={app.__version__}\n")
    code, out, _ = run("tag", "v99.0.0")
    assert code == 1
    assert f"tag v99.0.0 does not match app/__init__.py ({app.__version__})" in out
    code, _, outputs = run("branch", "main")  # a manual run from a branch builds anyway
    assert (code, outputs) == (0, f"version={app.__version__}\n")


def test_every_repository_script_the_workflow_runs_exists() -> None:
    # The bundle, MSI and DMG scripts come from parallel branches; the suite runs after they
    # are merged, so a missing one here is a real gap, not a pending one.
    referenced = set()
    for line in _workflow_run_lines():
        referenced.update(_REPO_PATH.findall(line))
    referenced.update(_REPO_PATH.findall(WORKFLOW.read_text(encoding="utf-8")))
    assert {"packaging/version.py", "packaging/build_bundle.py",
            "packaging/windows/build-msi.ps1", "packaging/macos/build-dmg.sh",
            "packaging/macos/entitlements.plist", "packaging/linux/praxisdesk-server.service",
            "packaging/linux/praxisdesk-server-admin", "dev"} <= referenced
    missing = sorted(p for p in referenced if not (REPO_ROOT / p).is_file())
    assert missing == []


def test_it_guide_describes_the_commands_the_workflow_runs() -> None:
    workflow = _repo_commands(_workflow_run_lines())
    assert {"python packaging/version.py", "python packaging/build_bundle.py", "dev test",
            "dist/praxisdesk/praxisdesk --self-test",
            "dist/praxisdesk/praxisdesk.exe --self-test | Out-Host"} <= workflow
    assert _guide_commands() == workflow
    text = GUIDE.read_text(encoding="utf-8")
    for artifact in ("praxisdesk-<version>-windows-x64.msi", "praxisdesk-<version>-macos.dmg",
                     "praxisdesk-<version>-linux-x86_64.tar.gz"):
        assert artifact in text
