"""An httpx transport that connects only to addresses the guard vetted.

Checking a URL's host and then letting the HTTP library resolve it again leaves a gap: a
name can answer a public address to the check and a private one a moment later (DNS
rebinding). Here the connection itself asks :class:`~naislint.external.guard.AddressGuard`
for the host's vetted addresses and opens the socket to one of them; the request keeps
the name in its ``Host`` header, and TLS sends it as SNI and verifies the certificate
against it, as httpcore does for any connection. A host the guard refuses raises
:class:`~naislint.external.guard.PrivateAddress` before any socket is opened.

Built from httpcore's public pieces (a connection pool with its own network backend),
since httpx's transport takes no network backend. A proxy from the environment is
mounted by httpx with its own transport: the proxy then resolves names, and only the
per-hop check of the name (in the checker) applies.
"""

from __future__ import annotations

import asyncio
import typing
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

import httpcore
import httpx

if TYPE_CHECKING:
    from naislint.external.guard import AddressGuard


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections to a host's vetted addresses only, in order."""

    def __init__(self, guard: "AddressGuard") -> None:
        self.guard = guard
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.AsyncNetworkStream:
        from naislint.external.guard import PrivateAddress

        try:
            verdict = await self.guard.vet(host, port)
        except (OSError, TimeoutError, asyncio.TimeoutError, ValueError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from exc
        if verdict.refused is not None:
            raise PrivateAddress(host, verdict.refused)
        failure: Exception | None = None
        for address in verdict.addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                    socket_options=socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"{host} has no address")

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[typing.Any] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("the external check opens no unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _as_httpx(exc: Exception) -> Exception:
    """httpx's exception of the same name for an httpcore one (``ConnectTimeout``...)."""
    if not type(exc).__module__.startswith("httpcore"):
        return exc
    for cls in type(exc).__mro__:
        target = getattr(httpx, cls.__name__, None)
        if isinstance(target, type) and issubclass(target, httpx.TransportError):
            return target(str(exc))
    return httpx.TransportError(str(exc))


@contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - re-raised, as httpx's type where one exists
        mapped = _as_httpx(exc)
        if mapped is exc:
            raise
        raise mapped from exc


class _Body(httpx.AsyncByteStream):
    """A response body whose httpcore errors surface as httpx errors."""

    def __init__(self, stream: typing.AsyncIterable[bytes]) -> None:
        self.stream = stream

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        with _httpx_errors():
            async for part in self.stream:
                yield part

    async def aclose(self) -> None:
        close = getattr(self.stream, "aclose", None)
        if close is not None:
            with _httpx_errors():
                await close()


class PinnedTransport(httpx.AsyncBaseTransport):
    """httpx transport over a connection pool whose sockets go to vetted addresses."""

    def __init__(self, guard: "AddressGuard", limits: httpx.Limits, trust_env: bool = True) -> None:
        self.pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=True, trust_env=trust_env),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(guard),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port,
                             target=request.url.raw_path),
            headers=request.headers.raw,
            content=typing.cast(typing.AsyncIterable[bytes], request.stream),
            extensions=request.extensions,
        )
        with _httpx_errors():
            response = await self.pool.handle_async_request(core_request)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_Body(typing.cast(typing.AsyncIterable[bytes], response.stream)),
                              extensions=response.extensions)

    async def aclose(self) -> None:
        await self.pool.aclose()
