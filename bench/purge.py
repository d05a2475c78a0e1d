"""The retention purge at scale: the figures of the retention issue in one run.

1. Client: 1,000,000 expired messages purged from a real SQLCipher cache while a Qt event
   loop (offscreen) runs a 10 ms timer probe; target: the largest gap between two probe
   ticks stays under 100 ms (``bench.purge_client``).
2. Server: 1,000,000 expired message rows purged from the server's SQLite database;
   target < 60 s (``bench.purge_server``).

Run: ``python -m bench.purge [--messages N]`` (default 1,000,000). The last line is the JSON
summary.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.purge_client import run as run_client
from bench.purge_server import run as run_server

CLIENT_MAX_STALL_MS = 100.0
SERVER_MAX_SECONDS = 60.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.purge", description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    client: dict[str, Any] = run_client(args.messages)
    print(json.dumps({"client": client}), flush=True)
    server: dict[str, Any] = dict(run_server(args.messages))
    print(json.dumps({"server": server}), flush=True)
    summary = {
        "messages": args.messages,
        "client": client,
        "server": server,
        "client_target_met": float(client["max_stall_ms"]) < CLIENT_MAX_STALL_MS,
        "server_target_met": float(server["seconds"]) < SERVER_MAX_SECONDS,
    }
    print(json.dumps(summary))
    return 0 if summary["client_target_met"] and summary["server_target_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
