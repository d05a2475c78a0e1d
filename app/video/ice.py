"""ICE configuration: server list from the practice's server, and which host addresses to offer.

aioice never offers 127.0.0.1 as a host candidate. On a machine whose only address is the
loopback (a test host, a physician and patient on the same computer) there would then be no
candidate at all. ``host_addresses()`` lets one call choose its host addresses explicitly; when
none are chosen and the machine has no other address, 127.0.0.1 is used. The choice is a
context variable, so two calls in one process (tests, the benchmark) do not affect each other:
aiortc gathers inside ``setLocalDescription``, in the caller's context.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

import aioice.ice
from aiortc import RTCConfiguration, RTCIceServer

_HOST_ADDRESSES: ContextVar[tuple[str, ...] | None] = ContextVar("praxisdesk_host_addresses",
                                                                  default=None)
_original_get_host_addresses = aioice.ice.get_host_addresses


def _get_host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    chosen = _HOST_ADDRESSES.get()
    if chosen is not None:
        return [a for a in chosen if (":" in a and use_ipv6) or (":" not in a and use_ipv4)]
    found = _original_get_host_addresses(use_ipv4=use_ipv4, use_ipv6=use_ipv6)
    return found or (["127.0.0.1"] if use_ipv4 else [])


aioice.ice.get_host_addresses = _get_host_addresses


@contextlib.contextmanager
def host_addresses(addresses: Sequence[str] | None) -> Iterator[None]:
    """Within the block, gathering offers exactly ``addresses`` (None: the machine's own)."""
    token = _HOST_ADDRESSES.set(tuple(addresses) if addresses is not None else None)
    try:
        yield
    finally:
        _HOST_ADDRESSES.reset(token)


def rtc_configuration(ice_servers: Sequence[dict[str, Any]] | None) -> RTCConfiguration:
    """``[{"urls", "username"?, "credential"?}]`` as the server hands it out; default none.

    An empty list matters: without it aiortc adds Google's STUN server (and blocks gathering
    for seconds when there is no route there)."""
    servers = [RTCIceServer(urls=s["urls"], username=s.get("username"),
                            credential=s.get("credential"))
               for s in (ice_servers or [])]
    return RTCConfiguration(iceServers=servers)
