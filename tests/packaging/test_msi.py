"""The Windows MSI, built with wixl from a staged payload and inspected with msiinfo.

What IT relies on: a per-machine install into Program Files, a Start Menu entry, SERVER_URL
landing in HKLM (64-bit view) and surviving upgrades, downgrades refused, and every file of the
bundle installed. Where Wine is present, a silent install/upgrade/uninstall runs for real.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

import app

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "windows" / "build_msi_wixl.py"
WXS = ROOT / "packaging" / "windows" / "praxisdesk.wxs"
# Fixed forever: every later MSI must carry it, or upgrades install side by side.
UPGRADE_CODE = "{F8A3891D-A4F6-4F7F-A7EF-798B962ABB71}"

# The staged payload: the shape of PyInstaller's dist/praxisdesk, with small stand-in files.
PAYLOAD: dict[str, bytes] = {
    "praxisdesk.exe": b"MZ client stand-in " * 50,
    "praxisdesk-server.exe": b"MZ server stand-in " * 40,
    "_internal/python311.dll": b"dll " * 300,
    "_internal/PySide6/plugins/platforms/qwindows.dll": b"qt platform plugin",
    "_internal/resources/translations/praxisdesk_de.qm": b"qm",
    "_internal/backend_server/migrations/versions/0001_initial.py": b"# migration\n",
    "_internal/patient_pages/Nutzungsbedingungen und Datenschutz.html": b"<html></html>",
}

pytestmark = pytest.mark.skipif(
    shutil.which("wixl") is None or shutil.which("msiinfo") is None,
    reason="wixl/msiinfo (msitools) are not installed on this machine",
)


def _bump(version: str) -> str:
    major, minor, patch = (int(p) for p in version.split("."))
    return f"{major}.{minor}.{patch + 1}"


def _stage_payload(root: Path) -> Path:
    for rel, content in PAYLOAD.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def _build(version: str, payload: Path, out: Path,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--version", version, "--payload", str(payload),
         "--out", str(out)],
        capture_output=True, text=True, timeout=120, env=env, check=False)


@dataclass(frozen=True)
class Msi:
    path: Path

    def table(self, name: str) -> list[dict[str, str]]:
        out = subprocess.run(["msiinfo", "export", str(self.path), name], capture_output=True,
                             text=True, timeout=30, check=True).stdout
        lines = [line.rstrip("\r") for line in out.split("\n")]
        columns = lines[0].split("\t")
        # Line 2 holds column types, line 3 the table name and its primary keys.
        return [dict(zip(columns, line.split("\t"), strict=True)) for line in lines[3:] if line]

    def properties(self) -> dict[str, str]:
        return {row["Property"]: row["Value"] for row in self.table("Property")}

    def summary(self) -> str:
        return subprocess.run(["msiinfo", "suminfo", str(self.path)], capture_output=True,
                              text=True, timeout=30, check=True).stdout


@pytest.fixture(scope="module")
def payload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _stage_payload(tmp_path_factory.mktemp("payload") / "praxisdesk")


@pytest.fixture(scope="module")
def msi(payload: Path, tmp_path_factory: pytest.TempPathFactory) -> Msi:
    out = tmp_path_factory.mktemp("msi") / f"praxisdesk-{app.__version__}-windows-x64.msi"
    result = _build(app.__version__, payload, out)
    assert result.returncode == 0, result.stderr
    assert out.is_file()
    return Msi(out)


def test_product_identity_and_per_machine_install(msi: Msi) -> None:
    props = msi.properties()
    assert props["ProductVersion"] == app.__version__
    assert props["UpgradeCode"] == UPGRADE_CODE
    assert props["ProductName"] == "Praxisdesk"
    assert props["Manufacturer"] == "Praxisdesk"
    assert props["ALLUSERS"] == "1"  # per machine
    # Add/Remove Programs: an about link, and no "Change" button (there is nothing to modify).
    assert props["ARPURLINFOABOUT"].startswith("https://")
    assert props["ARPNOMODIFY"] == "1"
    summary = msi.summary()
    assert re.search(r"^Template: x64;", summary, re.MULTILINE)
    assert re.search(r"^Version: 500\b", summary, re.MULTILINE)  # Windows Installer 5.0


def test_installs_into_program_files_64(msi: Msi) -> None:
    dirs = {row["Directory"]: row for row in msi.table("Directory")}
    assert dirs["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    assert dirs["INSTALLDIR"]["DefaultDir"] == "Praxisdesk"


def test_every_payload_file_is_installed_in_place(msi: Msi) -> None:
    dirs = {row["Directory"]: row for row in msi.table("Directory")}

    def install_path(directory: str) -> PurePosixPath:
        parts: list[str] = []
        while directory != "INSTALLDIR":
            row = dirs[directory]
            name = row["DefaultDir"].split(":")[-1].split("|")[-1]  # [source:]target, short|long
            if name != ".":
                parts.append(name)
            directory = row["Directory_Parent"]
        return PurePosixPath(*reversed(parts))

    components = {row["Component"]: row for row in msi.table("Component")}
    installed: dict[str, int] = {}
    for row in msi.table("File"):
        component = components[row["Component_"]]
        # 64-bit components: files go to the real Program Files, not Program Files (x86).
        assert int(component["Attributes"]) & 256, row["FileName"]
        name = row["FileName"].split("|")[-1]
        installed[str(install_path(component["Directory_"]) / name)] = int(row["FileSize"])
    assert installed == {rel: len(content) for rel, content in PAYLOAD.items()}


def test_server_url_is_written_to_hklm_64bit(msi: Msi) -> None:
    rows = [r for r in msi.table("Registry") if r["Name"] == "ServerUrl"]
    assert len(rows) == 1
    row = rows[0]
    assert row["Root"] == "2"  # HKEY_LOCAL_MACHINE
    assert row["Key"] == r"Software\Praxisdesk"
    assert row["Value"] == "[SERVER_URL]"
    component = next(c for c in msi.table("Component") if c["Component"] == row["Component_"])
    assert int(component["Attributes"]) & 256  # the 64-bit view, where the client reads
    feature_components = {r["Component_"] for r in msi.table("FeatureComponents")}
    assert row["Component_"] in feature_components


def test_server_url_given_on_the_command_line_wins_else_the_installed_one_is_kept(
        msi: Msi) -> None:
    # AppSearch reads the installed value into SAVED_SERVER_URL ...
    searches = {r["Property"]: r["Signature_"] for r in msi.table("AppSearch")}
    locator = next(r for r in msi.table("RegLocator")
                   if r["Signature_"] == searches["SAVED_SERVER_URL"])
    assert (locator["Root"], locator["Key"], locator["Name"]) == (
        "2", r"Software\Praxisdesk", "ServerUrl")
    assert int(locator["Type"]) & 16  # 64-bit registry view
    # ... and a type 51 action copies it into SERVER_URL only when none was given.
    action = next(r for r in msi.table("CustomAction") if r["Source"] == "SERVER_URL")
    assert int(action["Type"]) & 0x3F == 51
    assert action["Target"] == "[SAVED_SERVER_URL]"
    for sequence in ("InstallExecuteSequence", "InstallUISequence"):
        steps = {r["Action"]: r for r in msi.table(sequence)}
        restore = steps[action["Action"]]
        assert "NOT SERVER_URL" in restore["Condition"]
        assert "SAVED_SERVER_URL" in restore["Condition"]
        assert (int(steps["AppSearch"]["Sequence"]) < int(restore["Sequence"])
                < int(steps["CostFinalize"]["Sequence"])), sequence
    assert "SERVER_URL" not in msi.properties()  # no baked-in default


def test_start_menu_shortcut_starts_the_client(msi: Msi) -> None:
    shortcuts = msi.table("Shortcut")
    assert len(shortcuts) == 1
    shortcut = shortcuts[0]
    assert shortcut["Name"].split("|")[-1] == "Praxisdesk"
    assert shortcut["Target"] == "[INSTALLDIR]praxisdesk.exe"
    assert shortcut["WkDir"] == "INSTALLDIR"
    dirs = {row["Directory"]: row for row in msi.table("Directory")}
    assert dirs[shortcut["Directory_"]]["Directory_Parent"] == "ProgramMenuFolder"
    component = next(c for c in msi.table("Component") if c["Component"] == shortcut["Component_"])
    assert int(component["Attributes"]) & 4  # registry key path, as shortcuts need
    key_path = next(r for r in msi.table("Registry") if r["Registry"] == component["KeyPath"])
    assert key_path["Component_"] == component["Component"]


def test_older_versions_are_replaced_and_downgrades_refused(msi: Msi) -> None:
    rows = msi.table("Upgrade")
    assert {r["UpgradeCode"] for r in rows} == {UPGRADE_CODE}
    older = next(r for r in rows if r["VersionMax"] == app.__version__)
    newer = next(r for r in rows if r["VersionMin"] == app.__version__)
    # Older: found and removed (not detect-only), the current version itself excluded.
    assert older["VersionMin"] == ""
    assert not int(older["Attributes"]) & 2  # OnlyDetect
    assert not int(older["Attributes"]) & 0x200  # VersionMaxInclusive
    # Newer: only detected, and a launch condition then refuses to install.
    assert int(newer["Attributes"]) & 2
    assert not int(newer["Attributes"]) & 0x100  # VersionMinInclusive
    conditions = {r["Condition"]: r["Description"] for r in msi.table("LaunchCondition")}
    message = conditions[f"NOT {newer['ActionProperty']}"]
    assert "neuere Version" in message
    assert "newer version" in message
    steps = {r["Action"] for r in msi.table("InstallExecuteSequence")}
    assert {"FindRelatedProducts", "RemoveExistingProducts"} <= steps
    secure = msi.properties()["SecureCustomProperties"].split(";")
    assert older["ActionProperty"] in secure
    assert newer["ActionProperty"] in secure


def test_next_version_is_an_upgrade_of_this_one(payload: Path, msi: Msi, tmp_path: Path) -> None:
    newer = Msi(tmp_path / "newer.msi")
    result = _build(_bump(app.__version__), payload, newer.path)
    assert result.returncode == 0, result.stderr
    this, that = msi.properties(), newer.properties()
    assert that["UpgradeCode"] == this["UpgradeCode"]
    assert that["ProductCode"] != this["ProductCode"]  # a major upgrade needs a new one
    assert that["ProductVersion"] == _bump(app.__version__)


def test_wxs_keeps_the_fixed_upgrade_code() -> None:
    # The test above reads the built MSI; this names the source line to keep.
    assert UPGRADE_CODE.strip("{}") in WXS.read_text(encoding="utf-8")


def test_build_script_explains_what_is_wrong(payload: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.msi"
    no_tools = dict(os.environ, PATH=str(tmp_path / "empty-bin"))
    result = _build(app.__version__, payload, out, env=no_tools)
    assert result.returncode != 0
    assert "wixl" in result.stderr
    assert "msitools" in result.stderr

    result = _build("0.2.0rc1", payload, out)
    assert result.returncode != 0
    assert "X.Y.Z" in result.stderr

    empty = tmp_path / "empty-payload"
    empty.mkdir()
    result = _build(app.__version__, empty, out)
    assert result.returncode != 0
    assert "praxisdesk.exe" in result.stderr
    assert not out.exists()


# -- a real silent install under Wine -------------------------------------------------------

needs_wine = pytest.mark.skipif(shutil.which("wine") is None,
                                reason="wine is not installed on this machine")
SERVER_URL = "https://praxis.example/"


@pytest.fixture
def wine_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = dict(os.environ, WINEPREFIX=str(tmp_path / "wineprefix"), WINEARCH="win64",
               WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=")
    subprocess.run(["wineboot", "--init"], env=env, capture_output=True, timeout=300,
                   check=True)
    yield env
    subprocess.run(["wineserver", "-k"], env=env, capture_output=True, timeout=60,
                   check=False)


def _msiexec(env: dict[str, str], *args: str) -> int:
    proc = subprocess.run(["wine", "msiexec", *args], env=env, capture_output=True,
                          timeout=300, check=False)
    # The registry reaches system.reg only when wineserver has written it out.
    subprocess.run(["wineserver", "-w"], env=env, capture_output=True, timeout=120,
                   check=False)
    return proc.returncode


def _hklm_server_url(env: dict[str, str]) -> str | None:
    text = (Path(env["WINEPREFIX"]) / "system.reg").read_text(encoding="utf-8",
                                                               errors="replace")
    # The 64-bit view: [Software\\Praxisdesk], not [Software\\Wow6432Node\\Praxisdesk].
    section = re.search(r"^\[Software\\\\Praxisdesk\][^\n]*\n(.*?)(?:^\[|\Z)", text,
                        re.MULTILINE | re.DOTALL)
    if section is None:
        return None
    value = re.search(r'^"ServerUrl"="(.*)"$', section.group(1), re.MULTILINE)
    return None if value is None else value.group(1)


def _installed_exe(env: dict[str, str]) -> Path:
    return Path(env["WINEPREFIX"]) / "drive_c" / "Program Files" / "Praxisdesk" / "praxisdesk.exe"


@needs_wine
def test_silent_install_sets_server_url_and_uninstall_removes_everything(
        msi: Msi, wine_env: dict[str, str]) -> None:
    assert _msiexec(wine_env, "/i", str(msi.path), "/qn", f"SERVER_URL={SERVER_URL}") == 0
    assert _hklm_server_url(wine_env) == SERVER_URL
    assert _installed_exe(wine_env).read_bytes() == PAYLOAD["praxisdesk.exe"]

    assert _msiexec(wine_env, "/x", str(msi.path), "/qn") == 0
    assert _hklm_server_url(wine_env) is None
    assert not _installed_exe(wine_env).exists()


@needs_wine
def test_upgrade_keeps_server_url_and_downgrade_is_refused(
        payload: Path, msi: Msi, tmp_path: Path, wine_env: dict[str, str]) -> None:
    newer, newest = tmp_path / "newer.msi", tmp_path / "newest.msi"
    assert _build(_bump(app.__version__), payload, newer).returncode == 0
    assert _build(_bump(_bump(app.__version__)), payload, newest).returncode == 0

    assert _msiexec(wine_env, "/i", str(msi.path), "/qn", f"SERVER_URL={SERVER_URL}") == 0
    assert _msiexec(wine_env, "/i", str(newer), "/qn") == 0  # no SERVER_URL given: kept
    assert _hklm_server_url(wine_env) == SERVER_URL
    assert _installed_exe(wine_env).is_file()

    assert _msiexec(wine_env, "/i", str(msi.path), "/qn") != 0  # older: refused
    assert _hklm_server_url(wine_env) == SERVER_URL
    assert _installed_exe(wine_env).is_file()

    # A URL given on the command line replaces the kept one.
    moved = "https://neuer-server.praxis.example/"
    assert _msiexec(wine_env, "/i", str(newest), "/qn", f"SERVER_URL={moved}") == 0
    assert _hklm_server_url(wine_env) == moved
