"""The client's real address, trusting X-Forwarded-For only from our own proxies.

Anyone can send an `X-Forwarded-For` header. If rate limits, CAPTCHA and login lockout
believed it, a forged address per request would reset every count. So the header is
read only when the connection itself comes from a proxy listed in
`settings.TRUSTED_PROXIES` (addresses or CIDRs; none by default; 127.0.0.1 for the
shipped `deploy/nginx.conf`), and then from the right: each trusted proxy appends the
address it saw, so the right-most address that is not one of our proxies is the client.
Everything to the left of it was written by the client and is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

UNKNOWN = "0.0.0.0"


@lru_cache(maxsize=16)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _parse(value: str):
    value = (value or "").strip().strip('"')
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.9:5678
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def is_trusted_proxy(address, networks=None) -> bool:
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ())) if networks is None else networks
    return address is not None and any(address in net for net in networks if net.version == address.version)


def client_ip(request) -> str:
    """The address of the person at the other end (used by rate limits, CAPTCHA and login lockout)."""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return UNKNOWN
    if not networks or not is_trusted_proxy(remote, networks):
        return str(remote)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    client = remote
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # Garbage where an address should be: the last proxy we trust is all we know.
            break
        client = address
        if not is_trusted_proxy(address, networks):
            break
    return str(client)
