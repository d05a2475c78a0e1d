"""``praxisdesk-server serve``: uvicorn with TLS rules for the practice LAN."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from backend_server.app import create_app
from backend_server.config import Settings
from backend_server.context import ServerContext
from backend_server.demo import seed_demo
from backend_server.server_lock import ServerLock
from backend_server.tls import ensure_self_signed, fingerprint


class ServeRefused(Exception):
    """The server will not start with these options; the message tells the user why."""


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    demo: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None
    tls_self_signed: bool = False
    insecure_lan: bool = False


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_tls(settings: Settings, opts: ServeOptions) -> tuple[Path, Path] | None:
    if opts.tls_self_signed and (opts.tls_cert or opts.tls_key):
        raise ServeRefused("use either --tls-self-signed or --tls-cert/--tls-key, not both")
    if bool(opts.tls_cert) != bool(opts.tls_key):
        raise ServeRefused("--tls-cert and --tls-key go together")
    if opts.tls_cert and opts.tls_key:
        for path in (opts.tls_cert, opts.tls_key):
            if not path.is_file():
                raise ServeRefused(f"{path} does not exist")
        return opts.tls_cert, opts.tls_key
    if opts.tls_self_signed:
        extra = [] if opts.host in ("0.0.0.0", "::") else [opts.host]  # noqa: S104
        return ensure_self_signed(settings.data_dir, extra_hosts=extra)
    if not is_loopback(opts.host) and not opts.insecure_lan:
        raise ServeRefused(
            f"refusing to serve on {opts.host} without TLS: patient data would cross the "
            "network unencrypted. Use --tls-self-signed or --tls-cert/--tls-key "
            "(or --insecure-lan if you really accept that)"
        )
    return None


def run(settings: Settings, opts: ServeOptions) -> int:
    tls = resolve_tls(settings, opts)
    # Our own loggers (errors, audit problems) next to uvicorn's; messages carry ids only.
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    lock = ServerLock(settings.data_dir)
    settings.ensure_data_dir()
    if not lock.acquire():
        raise ServeRefused(f"another server is already running on {settings.data_dir}")
    try:
        if tls is not None:
            print(f"TLS certificate: {tls[0]}")
            print(f"SHA-256 fingerprint: {fingerprint(tls[0])}")
        if not is_loopback(opts.host) and tls is None:
            print("WARNING: serving without TLS (--insecure-lan)", file=sys.stderr)
        app = create_app(settings)
        ctx: ServerContext = app.state.ctx
        config = uvicorn.Config(
            app, host=opts.host, port=opts.port, log_level="info", access_log=False,
            ws="websockets-sansio",  # /api/v1/events; fail at start rather than answer 404
            # Compressing every event frame once per socket tripled the fan-out time to 200
            # clients (bench.inbox_events) and keeps a zlib context per socket; frames are small.
            ws_per_message_deflate=False,
            ssl_certfile=str(tls[0]) if tls else None, ssl_keyfile=str(tls[1]) if tls else None,
        )
        server = uvicorn.Server(config)

        async def main() -> None:
            await ctx.db.prepare()
            if opts.demo:
                _, logins = await seed_demo(ctx)
                print("Demo practice \"Hausarztpraxis Dr. Demo\" — logins:")
                for login in logins:
                    print(f"  {login.role:<10} {login.email:<30} {login.password}")
            task = asyncio.create_task(server.serve())
            while not server.started and not task.done():  # noqa: ASYNC110 - uvicorn has no event
                await asyncio.sleep(0.02)
            if server.started:
                scheme = "https" if tls else "http"
                shown = f"[{opts.host}]" if ":" in opts.host else opts.host
                print(f"Praxisdesk server ready at {scheme}://{shown}:{opts.port}", flush=True)
            await task

        asyncio.run(main())
        return 0 if server.started else 1
    finally:
        lock.release()
