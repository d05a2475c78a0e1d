"""``praxisdesk`` / ``python -m app``: the desktop client, and a few headless commands for IT."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from app import __version__
from app.api.client import ApiClient
from app.api.errors import (
    AccountLocked,
    ApiError,
    CertificateError,
    InsecureTransport,
    InvalidCredentials,
    InvalidTotp,
    ServerUnreachable,
    TotpRequired,
)
from app.cache.database import is_encrypted_file, open_cache_sync
from app.core import ClientCore, NotLoggedIn
from app.secrets import KeyringUnavailable, SecretStore, backend_name
from app.server_compat import Verdict, check_server
from app.settings import Profile, resolve_profile_dir

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def describe_error(exc: BaseException) -> str:
    """Plain words for IT, one per failure they must tell apart."""
    if isinstance(exc, InvalidCredentials):
        return "Login failed: e-mail or password is wrong."
    if isinstance(exc, TotpRequired):
        return "This account uses a second factor: pass --totp CODE."
    if isinstance(exc, InvalidTotp):
        return "Login failed: the one-time code is wrong."
    if isinstance(exc, AccountLocked):
        minutes = max(1, -(-exc.retry_after // 60))
        return f"Too many failed logins: the account is locked for {minutes} more minute(s)."
    if isinstance(exc, ServerUnreachable):
        return "The server cannot be reached (address, network or server down?)."
    if isinstance(exc, CertificateError):
        return "The server's certificate is not trusted (self-signed or wrong host name)."
    if isinstance(exc, InsecureTransport):
        return "Plain http is only allowed for a server on this computer; use https."
    if isinstance(exc, KeyringUnavailable):
        return f"The system keyring is not usable: {exc}"
    if isinstance(exc, NotLoggedIn):
        return "Not logged in: run 'praxisdesk login' first."
    if isinstance(exc, ApiError):
        return f"The server refused: {exc.detail or exc.code}"
    return f"{type(exc).__name__}: {exc}"


def _exit_code(exc: BaseException) -> int:
    if isinstance(exc, InvalidCredentials | TotpRequired | InvalidTotp | AccountLocked
                  | NotLoggedIn):
        return EXIT_FAILED
    return EXIT_USAGE


async def _login(core: ClientCore, args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        print("No password on standard input.", file=sys.stderr)
        return EXIT_USAGE
    if args.ca_file:
        core.settings.ca_file = args.ca_file
    try:
        await core.login(args.server, args.email, password, args.totp)
    except (ApiError, KeyringUnavailable) as exc:
        print(describe_error(exc), file=sys.stderr)
        return _exit_code(exc)
    finally:
        await core.close()
    role = core.user.get("role", "?")
    print(f"Logged in as {core.settings.email} ({role}) at {core.settings.server_url}.")
    return EXIT_OK


async def _sync(core: ClientCore, args: argparse.Namespace) -> int:
    try:
        if not core.has_stored_login():
            raise NotLoggedIn()
        outcome = await core.open_cache()
        result = await core.sync_once()
    except (ApiError, KeyringUnavailable, NotLoggedIn) as exc:
        print(describe_error(exc), file=sys.stderr)
        return _exit_code(exc)
    finally:
        await core.close()
    if args.json:
        print(json.dumps({"applied": result.applied, "pages": result.pages,
                          "cache": outcome.value, "counts": result.counts}))
    else:
        print(f"Synced: {result.applied} change(s) in {result.pages} page(s).")
    return EXIT_OK


async def _purge(core: ClientCore, args: argparse.Namespace) -> int:
    """Apply retention to the cache with the profile's keyring key (like ``sync --once``);
    no server contact: the periods are the last synced ones."""
    try:
        now = _parse_now(args.now)
    except ValueError:
        print("--now must be an ISO 8601 time, e.g. 2026-03-01T12:00:00Z.", file=sys.stderr)
        return EXIT_USAGE
    try:
        if not core.has_stored_login():
            raise NotLoggedIn()
        outcome = await core.open_cache()
        counts = await core.purge_cache(now)
    except (ApiError, KeyringUnavailable, NotLoggedIn) as exc:
        print(describe_error(exc), file=sys.stderr)
        return _exit_code(exc)
    finally:
        await core.close()
    if args.json:
        print(json.dumps({"now": (now or datetime.now(UTC)).isoformat(),
                          "cache": outcome.value, "counts": counts}))
    else:
        removed = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "nothing"
        print(f"Purged from the local cache: {removed}.")
    return EXIT_OK


def _parse_now(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _doctor(core: ClientCore, args: argparse.Namespace) -> int:
    report: dict[str, Any] = {
        "version": __version__,
        "keyring_backend": backend_name(),
        "keyring_ok": False,
        "keyring_error": None,
        "profile_dir": str(core.profile.root),
        "cache_path": str(core.profile.cache_path),
        "cache_exists": core.profile.cache_path.exists(),
        "cache_encrypted": is_encrypted_file(core.profile.cache_path),
        "cipher_version": None,
        "server_url": core.settings.effective_server_url(),
        "server_reachable": False,
        "server_version": None,
        "server_error": None,
        "server_compatible": None,
        "server_compatibility": None,
        "logged_in": False,
    }
    key: bytes | None = None
    if core.settings.server_url and core.settings.email:
        try:
            store = SecretStore(core.profile.id, core.settings.server_url, core.settings.email)
            report["logged_in"] = store.get_refresh_token() is not None
            key = store.get_cache_key()
            report["keyring_ok"] = True
        except KeyringUnavailable as exc:
            report["keyring_error"] = str(exc)
    else:
        try:
            SecretStore(core.profile.id, "doctor", "doctor").get_refresh_token()
            report["keyring_ok"] = True
        except KeyringUnavailable as exc:
            report["keyring_error"] = str(exc)
    if key and report["cache_encrypted"]:
        try:
            db = open_cache_sync(core.profile.cache_path, key)
            report["cipher_version"] = db.cipher_version
            db.close()
        except Exception as exc:
            report["cache_error"] = type(exc).__name__
    api: ApiClient | None = None
    try:
        api = ApiClient(report["server_url"], ca_file=core.settings.ca_file, timeout=5.0)
        health = await api.health()
        report["server_version"] = health.get("version")
        report["server_reachable"] = True
        compat = check_server(health)
        report["server_compatibility"] = compat.verdict.value
        # null when the release cannot be read; false is for IT to act on (exit 1).
        report["server_compatible"] = (None if compat.verdict is Verdict.UNKNOWN
                                       else compat.ok)
    except ApiError as exc:
        report["server_error"] = describe_error(exc)
    finally:
        if api is not None:
            await api.aclose()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for key_name, value in report.items():
            print(f"{key_name:18} {value}")
    healthy = report["keyring_ok"] and report["server_reachable"] and (
        report["server_compatible"] is not False) and (
        not report["cache_exists"] or report["cache_encrypted"])
    return EXIT_OK if healthy else EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="praxisdesk", description="Praxisdesk desktop client. Without a command: the GUI.")
    parser.add_argument("--profile", metavar="DIR",
                        help="keep all local state in DIR (default: $PRAXISDESK_PROFILE or the "
                             "platform's data directory)")
    parser.add_argument("--lang", choices=["de", "en"], help="user interface language")
    parser.add_argument("--server", metavar="URL", help="server address for the login dialog")
    parser.add_argument("--version", action="version", version=f"praxisdesk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation end to end (throwaway server, login, "
                             "encrypted cache, sync, Qt offscreen) and keep nothing; exit 0 "
                             "only if every step passed")
    parser.add_argument("--json", dest="self_test_json", action="store_true",
                        help="with --self-test: print the report as JSON")
    sub = parser.add_subparsers(dest="command")

    login = sub.add_parser("login", help="log in and keep the session in the OS keyring")
    login.add_argument("--server", dest="server", required=True, metavar="URL")
    login.add_argument("--email", required=True)
    login.add_argument("--password-stdin", action="store_true", required=True,
                       help="read the password from standard input")
    login.add_argument("--totp", metavar="CODE", help="one-time code, if the account uses one")
    login.add_argument("--ca-file", metavar="PEM",
                       help="trust this certificate (e.g. the server's self-signed one)")

    sync = sub.add_parser("sync", help="sync the server into the encrypted cache")
    sync.add_argument("--once", action="store_true", required=True,
                      help="sync once and exit")
    sync.add_argument("--json", action="store_true")

    purge = sub.add_parser("purge", help="remove expired content from the local cache now")
    purge.add_argument("--now", metavar="ISO",
                       help="apply the rule as if it were this UTC time (for checks)")
    purge.add_argument("--json", action="store_true")

    doctor = sub.add_parser("doctor", help="check keyring, cache encryption and the server")
    doctor.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test_json and not args.self_test:
        parser.error("--json goes with --self-test (or after a command)")
    if args.self_test and args.command is not None:
        parser.error("--self-test takes no command")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.self_test:
        from app.self_test import main as self_test  # only this command needs it

        return self_test(as_json=args.self_test_json)
    if args.command is None:
        # DESIGN fixes `python -m app` as the GUI's entry point: this late import is the one
        # place the core reaches the UI package; nothing else in app/ imports ui or Qt.
        gui = importlib.import_module("ui.main")
        return int(gui.run(args))
    if getattr(args, "ca_file", None):
        args.ca_file = os.path.abspath(args.ca_file)  # the setting outlives this directory
    core = ClientCore(Profile(resolve_profile_dir(args.profile)))
    handler = {"login": _login, "sync": _sync, "purge": _purge,
               "doctor": _doctor}[args.command]
    return asyncio.run(handler(core, args))


if __name__ == "__main__":
    sys.exit(main())
