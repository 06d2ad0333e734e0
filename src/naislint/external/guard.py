"""Which hosts the external check may connect to: never the machine's own networks.

Whoever writes a page chooses its links, and ``naislint check --external`` runs in CI on
pull requests. Without a guard, a link to ``http://169.254.169.254/`` (a cloud metadata
service), ``http://localhost:8080/admin`` or a name that resolves to ``10.0.0.5`` would
make the CI machine send requests into its own private network. So every host, on every
hop of a redirect, is resolved here first, and one whose addresses include a loopback,
private, link-local, shared, multicast, reserved or unspecified one is not asked at all.

Resolvers (and browsers) accept host names that are numbers in odd spellings:
``2130706433``, ``0x7f.1``, ``017700000001`` and ``127.1`` are all ``127.0.0.1``. They
are read here the way ``inet_aton`` and the WHATWG URL standard read them, so that none
reaches DNS looking like a name. IPv6 addresses that carry an IPv4 address (mapped
``::ffff:a.b.c.d``, 6to4, NAT64) are judged by the IPv4 address they carry.

The addresses a host was vetted with are kept for the run; :mod:`naislint.external.pinned`
connects to exactly those, so a name cannot resolve to a public address for the check
and to a private one for the connection (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import threading
from dataclasses import dataclass
from typing import Callable, Sequence, Union

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]

#: ``(host) -> addresses``: a resolver to use instead of the system's (tests use it so
#: that names resolve without a network). Raises ``OSError`` for a name it cannot resolve.
Resolver = Callable[[str], Sequence[str]]

#: ``(host, address) -> bool``: addresses to treat as public although they are not
#: (tests use it to put a "public" first hop on 127.0.0.1).
PublicHook = Callable[[str, str], bool]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class PrivateAddress(Exception):
    """A connection to a refused address was asked for; raised instead of connecting."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} is a private address ({address})")
        self.host = host
        self.address = address


@dataclass(frozen=True)
class Verdict:
    """What vetting a host found: the addresses to connect to, or the one refused."""

    addresses: tuple[str, ...] = ()
    refused: str | None = None


def numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host name spells as numbers, or ``None`` for a real name.

    One to four dot-separated parts, each decimal, octal (leading ``0``) or hexadecimal
    (``0x``); the last part fills the bytes that remain (``127.1`` is ``127.0.0.1``). A
    single trailing dot is allowed, as in ``127.0.0.1.``.
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        number = _number(part)
        if number is None:
            return None
        numbers.append(number)
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, number in enumerate(head):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


_HEX = re.compile(r"0x([0-9a-f]*)")
_OCTAL = re.compile(r"0([0-7]+)")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


def _number(part: str) -> int | None:
    lowered = part.lower()
    hexadecimal = _HEX.fullmatch(lowered)
    if hexadecimal:
        return int(hexadecimal.group(1) or "0", 16)
    octal = _OCTAL.fullmatch(lowered)
    if octal:
        return int(octal.group(1), 8)
    if _DECIMAL.fullmatch(lowered):
        return int(lowered)
    return None


def literal_address(host: str) -> IPAddress | None:
    """The address a host is written as (IPv6 with or without brackets, odd IPv4 forms)."""
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    return numeric_ipv4(bare)


def is_refused(address: IPAddress) -> bool:
    """True for an address the external check must not connect to.

    Anything that is not globally reachable (loopback, RFC 1918 private, link-local,
    100.64/10 shared, documentation, reserved, unspecified), and multicast.
    """
    if isinstance(address, ipaddress.IPv6Address):
        carried = address.ipv4_mapped or address.sixtofour
        if carried is None and address in _NAT64:
            carried = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if carried is not None:
            return is_refused(carried)
        if address.teredo is not None:
            return True
    return (not address.is_global or address.is_multicast or address.is_private or address.is_loopback
            or address.is_link_local or address.is_reserved or address.is_unspecified)


def is_local_name(host: str) -> bool:
    """``localhost`` and its subdomains always mean this machine (RFC 6761)."""
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


class AddressGuard:
    """Vets hosts for one run and remembers what each was vetted with.

    ``resolver`` and ``treat_as_public`` are hooks for tests; the defaults are the
    system's resolver and no exceptions. ``timeout`` bounds one resolution.
    """

    def __init__(self, timeout: float, resolver: Resolver | None = None,
                 treat_as_public: PublicHook | None = None) -> None:
        self.timeout = timeout
        self.resolver = resolver
        self.treat_as_public = treat_as_public
        self._verdicts: dict[str, "asyncio.Future[Verdict]"] = {}
        self._lookups = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    async def vet(self, host: str, port: int | None = None) -> Verdict:
        """The verdict on ``host``, resolved once per run however many links name it.

        Raises ``OSError`` (or ``asyncio.TimeoutError``) when the name cannot be resolved;
        a failed resolution is not remembered, so a retry resolves again.
        """
        key = host.lower()
        pending = self._verdicts.get(key)
        if pending is None or (pending.done() and (pending.cancelled() or pending.exception() is not None)):
            pending = self._verdicts[key] = asyncio.ensure_future(self._vet(key, port))
        # shield: one link giving up (the deadline) must not cancel the lookup others await.
        return await asyncio.shield(pending)

    async def _vet(self, host: str, port: int | None) -> Verdict:
        if is_local_name(host):
            return Verdict(refused=host)
        literal = literal_address(host)
        if literal is not None:
            addresses = [literal]
        else:
            addresses = [ipaddress.ip_address(a) for a in await self._resolve(host, port)]
        for address in addresses:
            if is_refused(address) and not (self.treat_as_public and self.treat_as_public(host, str(address))):
                return Verdict(refused=str(address))
        return Verdict(addresses=tuple(dict.fromkeys(str(a) for a in addresses)))

    async def _resolve(self, host: str, port: int | None) -> list[str]:
        if self.resolver is not None:
            found = list(self.resolver(host))
        else:
            async with self._lookups:
                infos = await asyncio.wait_for(_getaddrinfo(host, port or 0), self.timeout)
            found = [str(info[4][0]) for info in infos]
        if not found:
            raise OSError(f"{host} resolves to no address")
        return found


#: System lookups in flight at once (each holds a thread while the resolver works).
LOOKUPS_AT_ONCE = 16


async def _getaddrinfo(host: str, port: int) -> list[tuple]:
    """``socket.getaddrinfo`` in a daemon thread of its own.

    Not the event loop's executor: a lookup cannot be cancelled, and ``asyncio.run``
    waits for that executor's threads when it ends, so a resolver that hangs would hold
    the run past its deadline. A daemon thread is simply left behind.
    """
    loop = asyncio.get_running_loop()
    future: "asyncio.Future[list[tuple]]" = loop.create_future()

    def settle(result: list[tuple] | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result or [])

    def work() -> None:
        try:
            result, error = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM), None
        except Exception as exc:  # noqa: BLE001 - handed to the waiting coroutine
            result, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:
            pass  # the run ended (its deadline passed) while this lookup hung

    threading.Thread(target=work, name="naislint-resolve", daemon=True).start()
    return await future
