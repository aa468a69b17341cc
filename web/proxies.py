"""`X-Forwarded-*` honoured from trusted proxies only (setting `POC_TRUSTED_PROXIES`).

Behind a reverse proxy (HAProxy, nginx) every request comes from the proxy's address; the
proxy says who the client was (`X-Forwarded-For`), whether it spoke HTTPS
(`X-Forwarded-Proto`) and which host it asked for (`X-Forwarded-Host`). Anybody can send those
headers, so they are believed only when the connection comes from an address in the trusted
list; from any other address they are removed before the app sees the request.

With several proxies in a row, `X-Forwarded-For` is read from the right: each trusted proxy
appended the address it saw, and the client is the first address, from the right, that is not a
trusted proxy (what a client wrote at the left end itself is never believed). The scheme and the
host are the values the nearest proxy set (the last ones).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Callable, Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)
_HOST = re.compile(r"^[A-Za-z0-9.\-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$")


class TrustedProxyError(ValueError):
    """A POC_TRUSTED_PROXIES entry that is no address or network."""


def parse_networks(text: str | Iterable[str] | None) -> tuple[Network, ...]:
    """'127.0.0.1, 10.0.0.0/24' -> networks. Entries are addresses or CIDR networks, separated
    by commas or spaces; a network with host bits set (10.0.0.1/24) is refused, as gunicorn does."""
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text or ())
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=True))
        except ValueError as exc:
            raise TrustedProxyError(f"POC_TRUSTED_PROXIES: {item!r} is not an address or network ({exc})") from None
    return tuple(networks)


def _address(text: str):
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class TrustedProxies:
    """WSGI middleware: REMOTE_ADDR, wsgi.url_scheme and HTTP_HOST from the X-Forwarded-*
    headers of a trusted proxy; those headers dropped from anybody else. It changes the WSGI
    environ in place, so the server's access log names the client too."""

    def __init__(self, app: Callable, networks: Iterable[Network]) -> None:
        self.app = app
        self.networks = tuple(networks)

    def trusted(self, address) -> bool:
        ip = address if not isinstance(address, str) else _address(address)
        return ip is not None and any(ip.version == net.version and ip in net for net in self.networks)

    def __call__(self, environ: dict, start_response):
        if self.networks and self.trusted(environ.get("REMOTE_ADDR", "")):
            self._apply(environ)
        else:
            for name in FORWARDED_HEADERS:
                environ.pop(name, None)
        return self.app(environ, start_response)

    def _apply(self, environ: dict) -> None:
        environ["poc.proxy_addr"] = environ.get("REMOTE_ADDR")
        chain = [part for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        client = None
        for part in reversed(chain):
            ip = _address(part)
            if ip is None:  # garbage: nothing further left can be believed
                break
            client = ip
            if not self.trusted(ip):
                break
        if client is not None:
            environ["REMOTE_ADDR"] = str(client)
        proto = _last(environ.get("HTTP_X_FORWARDED_PROTO")).lower()
        if proto in ("http", "https"):
            environ["wsgi.url_scheme"] = proto
            environ["SERVER_PORT"] = "443" if proto == "https" else "80"
        host = _last(environ.get("HTTP_X_FORWARDED_HOST"))
        if host and _HOST.match(host):
            environ["HTTP_HOST"] = host
            if ":" in host.rpartition("]")[2]:
                environ["SERVER_PORT"] = host.rpartition(":")[2]


def _last(value: str | None) -> str:
    return value.split(",")[-1].strip() if value else ""
