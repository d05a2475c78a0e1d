"""``praxisdesk-server`` (= ``python -m backend_server``): run and administer the server."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from backend_server import __version__, admin, backup, backup_schedule
from backend_server.assistant.analysis import CallAnalysis
from backend_server.clock import SystemClock
from backend_server.config import Settings, service_data_dir
from backend_server.context import ServerContext
from backend_server.errors import ProblemError
from backend_server.models.user import ROLES
from backend_server.retention import practice_end
from backend_server.serve import ServeOptions, ServeRefused
from backend_server.serve import run as run_server

T = TypeVar("T")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """Bad input or a refused operation: printed as ``error: ...``, exit code 2."""


def _data_dir_option(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=default, metavar="D",
        help="data directory (default: $PRAXISDESK_DATA_DIR, else the platform's data dir: "
             "the machine-wide one with serve --service or PRAXISDESK_SERVICE=1)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="praxisdesk-server", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    _data_dir_option(parser, default=None)
    # Sub-commands accept --data-dir too; SUPPRESS keeps them from erasing a global one.
    common = argparse.ArgumentParser(add_help=False)
    _data_dir_option(common, default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--demo", action="store_true",
                       help="seed the demo practice and print its logins")
    serve.add_argument("--tls-cert", type=Path, metavar="F")
    serve.add_argument("--tls-key", type=Path, metavar="F")
    serve.add_argument("--tls-self-signed", action="store_true",
                       help="create (once) and use a self-signed certificate in the data dir")
    serve.add_argument("--insecure-lan", action="store_true",
                       help="allow plain HTTP on a non-loopback address (not recommended)")
    serve.add_argument("--service", action="store_true",
                       help="run as the machine's service: the default data dir is the "
                            "machine-wide one (same as PRAXISDESK_SERVICE=1)")

    practice = sub.add_parser("create-practice", parents=[common], help="add a practice")
    practice.add_argument("name")
    practice.add_argument("--json", action="store_true", help='print {"id": ...}')

    user = sub.add_parser("create-user", parents=[common], help="add a user to a practice")
    user.add_argument("--practice", required=True, metavar="ID")
    user.add_argument("--email", required=True)
    user.add_argument("--role", required=True, choices=ROLES)
    user.add_argument("--password-stdin", action="store_true", required=True,
                      help="read the password from standard input")
    user.add_argument("--display-name", metavar="N")
    user.add_argument("--json", action="store_true", help='print {"id": ...}')

    audit = sub.add_parser("audit", parents=[common], help="audit log tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    audit_sub.add_parser("verify", parents=[common],
                         help="check the hash chain; exit 1 if it is broken")

    purge = sub.add_parser("purge", parents=[common],
                           help="apply the retention periods now and print counts per kind")
    purge.add_argument("--now", metavar="ISO",
                       help="purge as if it were this time (ISO 8601; no zone means UTC)")
    purge.add_argument("--dry-run", action="store_true",
                       help="only count what would be deleted; change nothing")
    purge.add_argument("--json", action="store_true",
                       help='print {"now", "dry_run", "counts", "practices"}')

    bak = sub.add_parser("backup", parents=[common],
                         help="write an encrypted backup of database and files to FILE")
    bak.add_argument("file", type=Path, metavar="FILE", nargs="?")
    bak.add_argument("--rotate-into", type=Path, metavar="DIR",
                     help="write today's backup into DIR, then delete what rotation does "
                          "not keep (7 daily, 4 weekly, 12 monthly); for cron/systemd")
    res = sub.add_parser("restore", parents=[common],
                         help="restore database and files from a backup FILE (server stopped)")
    res.add_argument("file", type=Path, metavar="FILE")
    res.add_argument("--force", action="store_true",
                     help="replace data that exists (the old database and files are kept)")

    exp = sub.add_parser("export-practice", parents=[common],
                         help="end of contract: write everything of a practice into a ZIP")
    exp.add_argument("practice_id", metavar="PRACTICE_ID")
    exp.add_argument("file", type=Path, metavar="FILE", help="the ZIP to write (must not exist)")
    exp.add_argument("--json", action="store_true", help="print counts as JSON")
    dele = sub.add_parser("delete-practice", parents=[common],
                          help="end of contract: delete a practice completely (rows, blobs, "
                               "keys); export it first")
    dele.add_argument("practice_id", metavar="PRACTICE_ID")
    dele.add_argument("--confirm", required=True, metavar="PRACTICE_ID",
                      help="the same practice id again, to confirm")
    dele.add_argument("--json", action="store_true", help="print counts as JSON")

    assistant = sub.add_parser("assistant", parents=[common], help="phone assistant tools")
    assistant_sub = assistant.add_subparsers(dest="assistant_command", required=True,
                                             metavar="COMMAND")
    analyze = assistant_sub.add_parser(
        "analyze", parents=[common],
        help="triage one call: category, urgency, caller name, date of birth, callback number")
    source = analyze.add_mutually_exclusive_group(required=True)
    source.add_argument("--wav", type=Path, metavar="FILE",
                        help="a recording (WAV, MP3, ...): transcribed offline, then analysed")
    source.add_argument("--text", metavar="TEXT", help="a transcript to analyse")
    analyze.add_argument("--json", action="store_true",
                         help='print {"transcript", "category", "urgent", "caller": {"name", '
                              '"dob", "phone"}, "urgent_reasons", "wished_time"}')
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    data_dir = getattr(args, "data_dir", None)
    if (data_dir is None and getattr(args, "service", False)
            and not os.environ.get("PRAXISDESK_DATA_DIR")):
        # An explicit PRAXISDESK_DATA_DIR still wins over the service default.
        data_dir = service_data_dir()
    return Settings(data_dir=data_dir) if data_dir is not None else Settings()


def _run_with_context(settings: Settings,
                      fn: Callable[[ServerContext], Awaitable[T]]) -> T:
    async def main() -> T:
        ctx = ServerContext.create(settings, SystemClock())
        try:
            await ctx.db.prepare()
            return await fn(ctx)
        finally:
            await ctx.db.dispose()

    return asyncio.run(main())


def _cmd_create_practice(args: argparse.Namespace, settings: Settings) -> int:
    practice_id = _run_with_context(
        settings, lambda ctx: admin.create_practice(ctx, args.name, form_templates=True))
    print(json.dumps({"id": practice_id}) if args.json else f"created practice {practice_id}")
    return EXIT_OK


def _cmd_create_user(args: argparse.Namespace, settings: Settings) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliError("no password on standard input")
    user_id = _run_with_context(settings, lambda ctx: admin.create_user(
        ctx, practice_id=args.practice, email=args.email, role=args.role, password=password,
        display_name=args.display_name))
    print(json.dumps({"id": user_id}) if args.json else f"created user {user_id}")
    return EXIT_OK


def _cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    report = _run_with_context(settings, admin.verify_audit_log)
    if not report.ok:
        print(f"BROKEN: first bad entry is seq {report.first_bad_seq}: {report.problem}")
        return EXIT_FAILED
    deletions = _run_with_context(settings, admin.verify_deletion_log_entries)
    if not deletions.ok:
        print(f"BROKEN: {deletions.problem}")
        return EXIT_FAILED
    print(f"ok, {report.entries} entries")
    if deletions.entries:
        print(f"deletion log ok, {deletions.entries} entries")
    return EXIT_OK


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(f"--now: not an ISO 8601 time: {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    now = _parse_now(args.now)
    report = _run_with_context(settings, lambda ctx: admin.purge(ctx, now,
                                                                 dry_run=args.dry_run))
    if args.json:
        print(json.dumps(report.as_json()))
        return EXIT_OK
    verb = "would delete" if report.dry_run else "deleted"
    print(f"retention purge at {report.as_json()['now']}: {verb}")
    for kind, count in report.counts.items():
        print(f"  {kind}: {count}")
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    if (args.file is None) == (args.rotate_into is None):
        raise CliError("give either FILE or --rotate-into DIR")
    if args.rotate_into is not None:
        path, removed = backup_schedule.backup_into(settings, args.rotate_into,
                                                    SystemClock().now())
        print(f"backup written to {path}")
        for old in removed:
            print(f"rotated out {old.name}")
        return EXIT_OK
    result = backup.backup(settings, args.file)
    info = result.info
    summary = (f" ({info.practices} practices, {info.users} users, "
               f"{info.audit_entries} audit entries, {result.blobs} files)" if info
               else f" ({result.blobs} files)")
    print(f"encrypted backup written to {args.file}{summary}")
    print(f"it opens only with {settings.effective_keys_dir}: keep that directory safe "
          "and separate from the backups")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    result = backup.restore(settings, args.file, force=args.force)
    if result.kept_database is not None:
        print(f"the previous database was kept as {result.kept_database}")
    if result.kept_blobs is not None:
        print(f"the previous files were kept in {result.kept_blobs}")
    info = result.info
    summary = f"{info.practices} practices, {info.users} users, " if info else ""
    print(f"restored {args.file} (made {result.created_at}; {summary}{result.blobs} files)")
    # Nothing the backup still held may come back: erasures since then, expired content.
    erased, purged = _run_with_context(settings, admin.after_restore)
    print(f"re-applied {erased} erasure(s) recorded since the backup; purged "
          f"{sum(purged.counts.values())} expired item(s)")
    print(backup.RESTORE_HINT)
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    opts = ServeOptions(host=args.host, port=args.port, demo=args.demo,
                        tls_cert=args.tls_cert, tls_key=args.tls_key,
                        tls_self_signed=args.tls_self_signed, insecure_lan=args.insecure_lan)
    return run_server(settings, opts)


def _cmd_export_practice(args: argparse.Namespace, settings: Settings) -> int:
    try:
        summary = _run_with_context(settings, lambda ctx: practice_end.export_practice(
            ctx, args.practice_id, args.file))
    except (practice_end.UnknownPractice, FileExistsError, FileNotFoundError) as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"practice {summary['practice_id']} exported to {args.file}: "
              f"{summary['patients']} patients, {summary['users']} users, "
              f"{summary['attachments']} attachments, {summary['audit_entries']} audit entries")
    return EXIT_OK


def _cmd_delete_practice(args: argparse.Namespace, settings: Settings) -> int:
    if args.confirm != args.practice_id:
        raise CliError("--confirm must repeat the practice id exactly; nothing was deleted")
    try:
        counts = _run_with_context(settings, lambda ctx: practice_end.delete_practice(
            ctx, args.practice_id))
    except practice_end.UnknownPractice as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps({"practice_id": args.practice_id, "counts": counts}))
    else:
        print(f"practice {args.practice_id} deleted ({sum(counts.values())} rows and keys)")
    return EXIT_OK


def _analyze_wav(path: Path) -> CallAnalysis:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        # Imported only here: speech-to-text pulls in faster-whisper and PyAV.
        pipeline = importlib.import_module("backend_server.assistant.pipeline")
    except ModuleNotFoundError as exc:
        if exc.name not in ("backend_server.assistant.pipeline", "faster_whisper", "av"):
            raise
        raise CliError("speech-to-text is not available in this installation "
                       f"(missing module {exc.name}); use --text") from None
    try:
        result: CallAnalysis = pipeline.analyze_recording(data, caller_id=None)
    except (OSError, ValueError, RuntimeError) as exc:
        # Undecodable audio or a missing speech model: the message names the cause.
        raise CliError(f"cannot analyse {path}: {exc}") from None
    return result


def _cmd_assistant(args: argparse.Namespace, settings: Settings) -> int:
    from backend_server.assistant.triage import analyze_text

    if args.text is not None:
        result = analyze_text(args.text, settings=settings)
    else:
        result = _analyze_wav(args.wav)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return EXIT_OK
    caller = result.caller
    print(f"category: {result.category}" + (" (URGENT)" if result.urgent else ""))
    if result.urgent_reasons:
        print(f"reasons: {', '.join(result.urgent_reasons)}")
    print(f"caller: {caller.name or '-'}, date of birth: {caller.dob or '-'}, "
          f"callback: {caller.phone or '-'}")
    if result.wished_time:
        print(f"wished time: {result.wished_time}")
    print(f"transcript: {result.transcript}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "serve": _cmd_serve,
    "create-practice": _cmd_create_practice,
    "create-user": _cmd_create_user,
    "audit": _cmd_audit,
    "purge": _cmd_purge,
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "export-practice": _cmd_export_practice,
    "delete-practice": _cmd_delete_practice,
    "assistant": _cmd_assistant,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, _settings(args))
    except (CliError, ServeRefused, backup.BackupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ProblemError as exc:
        print(f"error: {exc.detail or exc.code}", file=sys.stderr)
        return EXIT_USAGE
