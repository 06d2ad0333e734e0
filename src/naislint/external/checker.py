"""The network side of external link checking: every URL asked once, politely.

An asyncio batch on httpx (imported only when a check runs). Each unique URL is asked
once per run: ``HEAD`` first, since most servers answer it without a body, then ``GET``
when ``HEAD`` is refused or fails (many servers answer ``405``/``501``, some answer
``404``/``403`` to ``HEAD`` alone), or straight away when the page's ids are wanted for a
``#fragment``. Redirects are followed by hand, to a bound, so that a loop is named as
one and the final URL can be shown. ``429`` and ``5xx`` are retried with exponential
backoff, or after the server's ``Retry-After`` (capped). A global semaphore bounds the
requests in flight, and one per host keeps the checker from hammering a single server.
"""

from __future__ import annotations

import asyncio
import email.utils
import http
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Collection, Sequence
from urllib.parse import urlsplit

from naislint.external.anchors import page_anchors
from naislint.external.status import StatusSet

if TYPE_CHECKING:
    import httpx

    from naislint.external.guard import AddressGuard

USER_AGENT = "naislint-link-checker"


@dataclass(frozen=True)
class CheckSettings:
    """How the network is asked. Times are in seconds."""

    timeout: float = 10.0
    max_concurrency: int = 32
    per_host_concurrency: int = 4
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 30.0
    accept: StatusSet = field(default_factory=StatusSet)
    max_body_bytes: int = 5 * 1024 * 1024
    user_agent: str = USER_AGENT
    #: Read proxy settings and CA bundles from the environment (tests turn this off so
    #: that a proxy variable can never send a request to another machine).
    trust_env: bool = True
    #: Ask hosts on loopback, private, link-local... addresses too (intranet sites).
    allow_private: bool = False
    #: Seconds the whole batch may take; links not answered by then are reported unchecked.
    deadline: float = 180.0
    #: Test hooks of the address guard (see :class:`naislint.external.guard.AddressGuard`):
    #: a resolver instead of the system's, and addresses to treat as public.
    resolver: Callable[[str], Sequence[str]] | None = None
    treat_as_public: Callable[[str, str], bool] | None = None


@dataclass(frozen=True)
class LinkResult:
    """What one URL answered.

    ``status`` is the last HTTP status (``None`` when there was no answer; ``error``
    says why). ``final_url`` is set when redirects led elsewhere. ``anchors`` lists the
    ids of an HTML page whose body was read (``None`` otherwise); ``body_read`` says a
    ``GET`` body was asked for, so a cached result can serve fragment checks.
    ``transient`` results (no answer, ``429``, ``5xx``) are not cached: the next run asks
    again rather than remembering a passing outage. ``unchecked`` says why a URL was not
    asked (a private address, the deadline): neither broken nor fine, and never cached.
    """

    url: str
    status: int | None = None
    reason: str = ""
    final_url: str | None = None
    error: str | None = None
    anchors: frozenset[str] | None = None
    body_read: bool = False
    transient: bool = False
    checked_at: float = 0.0
    from_cache: bool = False
    unchecked: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "final_url": self.final_url,
            "error": self.error,
            "anchors": sorted(self.anchors) if self.anchors is not None else None,
            "body_read": self.body_read,
            "checked_at": self.checked_at,
        }

    @classmethod
    def from_json(cls, url: str, data: dict[str, Any]) -> "LinkResult | None":
        """A cached result, or ``None`` when the entry is not in the expected shape."""
        try:
            status = data.get("status")
            anchors = data.get("anchors")
            if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
                return None
            if anchors is not None and not (isinstance(anchors, list) and all(isinstance(a, str) for a in anchors)):
                return None
            final_url = data.get("final_url")
            error = data.get("error")
            return cls(
                url=url,
                status=status,
                reason=str(data.get("reason") or ""),
                final_url=final_url if isinstance(final_url, str) else None,
                error=error if isinstance(error, str) else None,
                anchors=frozenset(anchors) if anchors is not None else None,
                body_read=bool(data.get("body_read")),
                checked_at=float(data["checked_at"]),
                from_cache=True,
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


@dataclass
class _Answer:
    """The outcome of one request and the redirects it led through."""

    status: int | None = None
    reason: str = ""
    final_url: str | None = None
    error: str | None = None
    transient_error: bool = False
    timed_out: bool = False
    retry_after: float | None = None
    anchors: frozenset[str] | None = None
    unchecked: str | None = None


def _reason(status: int, given: str) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return given


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delay-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def _is_retryable_status(status: int | None) -> bool:
    return status is not None and (status == 429 or (status >= 500 and status != 501))


def private_reason(address: str) -> str:
    """The result text of a link whose host is on a refused address."""
    return f"not checked (private address {address})"


def deadline_reason(deadline: float) -> str:
    """The result text of a link still unanswered when the batch's deadline passed."""
    return f"not checked: the external check's deadline of {deadline:g} s passed"


class _Checker:
    def __init__(self, client: "httpx.AsyncClient", settings: CheckSettings,
                 guard: "AddressGuard | None" = None) -> None:
        self.client = client
        self.settings = settings
        self.guard = guard
        self.global_slots = asyncio.Semaphore(max(1, settings.max_concurrency))
        self.host_slots: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold a per-host slot, then a global one (never a global slot while queueing)."""
        sem = self.host_slots.get(host)
        if sem is None:
            sem = self.host_slots[host] = asyncio.Semaphore(max(1, self.settings.per_host_concurrency))
        async with sem:
            async with self.global_slots:
                yield

    async def check(self, url: str, need_body: bool) -> LinkResult:
        settings = self.settings
        method = "GET" if need_body else "HEAD"
        attempt = 0
        while True:
            answer = await self.follow(method, url, read_body=need_body)
            if answer.unchecked is not None:
                break
            accepted = answer.error is None and answer.status in settings.accept
            if accepted:
                break
            if method == "HEAD" and answer.status is not None and answer.status != 429:
                method = "GET"  # HEAD refused or failing: the GET answer is the one that counts
                continue
            # A server that did not answer within the timeout is not asked again: a retry
            # would cost another full timeout, and rarely gets a different answer.
            retryable = _is_retryable_status(answer.status) or (answer.transient_error and not answer.timed_out)
            if not retryable or attempt >= settings.retries:
                break
            delay = settings.backoff * (2**attempt)
            if answer.retry_after is not None:
                delay = answer.retry_after
            await asyncio.sleep(min(delay, settings.max_retry_after))
            attempt += 1
        # A redirect loop or a malformed URL is a fact worth caching; an outage is not.
        transient = answer.transient_error or _is_retryable_status(answer.status) or answer.unchecked is not None
        return LinkResult(
            url=url,
            status=answer.status,
            reason=answer.reason,
            final_url=answer.final_url if answer.final_url not in (None, url) else None,
            error=answer.error,
            anchors=answer.anchors,
            body_read=need_body,
            transient=transient,
            checked_at=time.time(),
            unchecked=answer.unchecked,
        )

    async def follow(self, method: str, url: str, read_body: bool) -> _Answer:
        """One request and its redirects, up to ``max_redirects`` hops."""
        import httpx

        problem = url_problem(url)
        if problem is not None:
            return _Answer(error=f"not a valid URL ({problem})")
        try:
            request = self.client.build_request(method, url)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, TypeError) as exc:
            return _Answer(error=f"not a valid URL ({exc})")
        seen = {str(request.url)}
        hops = 0
        while True:
            refused = await self.vet(request)
            if refused is not None:
                if not hops:
                    refused.final_url = None  # the link itself, however httpx spells it
                return refused
            answer, next_request = await self.send(request, read_body)
            if next_request is None or answer.error is not None:
                return answer
            target = str(next_request.url)
            if target in seen:
                return _Answer(error=f"redirect loop (back to {target})")
            hops += 1
            if hops > self.settings.max_redirects:
                return _Answer(error=f"more than {self.settings.max_redirects} redirects", final_url=target)
            seen.add(target)
            request = next_request

    async def vet(self, request: "httpx.Request") -> _Answer | None:
        """``None`` when the request's host may be asked; else the answer that says why not.

        Run before every hop, redirects included, so that no request leaves for a private
        address; the pinned transport then connects to the addresses vetted here.
        """
        if self.guard is None:
            return None
        host = request.url.raw_host.decode("ascii")
        try:
            verdict = await self.guard.vet(host, request.url.port)
        except (OSError, asyncio.TimeoutError, ValueError) as exc:
            return _Answer(error=f"cannot connect (cannot resolve {host}: {_detail(exc)})",
                           final_url=str(request.url), transient_error=True)
        if verdict.refused is not None:
            return _Answer(unchecked=private_reason(verdict.refused), final_url=str(request.url))
        return None

    async def send(self, request: "httpx.Request", read_body: bool) -> "tuple[_Answer, httpx.Request | None]":
        import httpx

        from naislint.external.guard import PrivateAddress

        timeout = self.settings.timeout
        async with self.slot(request.url.host):
            try:
                return await asyncio.wait_for(self._exchange(request, read_body), timeout * 3)
            except (asyncio.TimeoutError, httpx.TimeoutException) as exc:
                what = "could not connect" if isinstance(exc, httpx.ConnectTimeout) else "no answer"
                return _Answer(error=f"{what} within {timeout:g} s", final_url=str(request.url),
                               transient_error=True, timed_out=True), None
            except httpx.ConnectError as exc:
                return _Answer(error=f"cannot connect ({_detail(exc)})", final_url=str(request.url),
                               transient_error=True), None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                return _Answer(error=f"not a valid URL ({_detail(exc)})", final_url=str(request.url)), None
            except httpx.HTTPError as exc:
                return _Answer(error=f"request failed ({_detail(exc)})", final_url=str(request.url),
                               transient_error=True), None
            except PrivateAddress as exc:
                return _Answer(unchecked=private_reason(exc.address), final_url=str(request.url)), None
            except Exception as exc:  # noqa: BLE001 - a bad answer must never stop the run
                while getattr(exc, "exceptions", None):  # an exception group: name the cause
                    exc = exc.exceptions[0]
                return _Answer(error=f"request failed ({type(exc).__name__}: {exc})",
                               final_url=str(request.url), transient_error=True), None

    async def _exchange(self, request: "httpx.Request", read_body: bool) -> "tuple[_Answer, httpx.Request | None]":
        response = await self.client.send(request, stream=True, follow_redirects=False)
        try:
            status = response.status_code
            answer = _Answer(status=status, reason=_reason(status, response.reason_phrase),
                             final_url=str(request.url))
            if status in (429, 503):
                answer.retry_after = retry_after_seconds(response.headers.get("retry-after"))
            if (read_body and request.method == "GET" and 200 <= status < 300
                    and "html" in response.headers.get("content-type", "").lower()):
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body.extend(chunk)
                    if len(body) >= self.settings.max_body_bytes:
                        break
                answer.anchors = page_anchors(bytes(body).decode(response.encoding or "utf-8", errors="replace"))
            elif _small_body(response):
                # Reading a short (or HEAD's empty) body to its end lets the connection be
                # reused; closing a response mid-body closes its connection too.
                await response.aread()
            return answer, response.next_request
        finally:
            await response.aclose()


#: Bodies up to this size are read to the end (and dropped) to keep the connection alive.
KEEP_ALIVE_READ_LIMIT = 64 * 1024


def _small_body(response: "httpx.Response") -> bool:
    if response.request.method == "HEAD" or response.status_code in (204, 304):
        return True
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= KEEP_ALIVE_READ_LIMIT


def url_problem(url: str) -> str | None:
    """What makes a URL unusable before any request (no host, a port out of range)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return str(exc)
    if not parts.hostname:
        return "no host name"
    if port == 0:
        return "port 0"
    return None


def _detail(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


async def check_urls(
    urls: Collection[str],
    need_body: Collection[str],
    settings: CheckSettings,
    on_done: Callable[[LinkResult], None] | None = None,
) -> dict[str, LinkResult]:
    """Check every URL once, concurrently; ``need_body`` URLs are fetched with ``GET``.

    Unless ``settings.allow_private``, hosts are vetted (:mod:`naislint.external.guard`)
    and connections pinned to the vetted addresses (:mod:`naislint.external.pinned`).
    URLs still unanswered after ``settings.deadline`` seconds are given up and reported
    as not checked, so that a server that never answers cannot hold a CI run.
    """
    import httpx

    if not urls:
        return {}
    limits = httpx.Limits(
        max_connections=max(1, settings.max_concurrency),
        max_keepalive_connections=max(1, settings.max_concurrency),
    )
    guard = None
    transport = None
    if not settings.allow_private:
        from naislint.external.guard import AddressGuard
        from naislint.external.pinned import PinnedTransport

        guard = AddressGuard(settings.timeout, settings.resolver, settings.treat_as_public)
        transport = PinnedTransport(guard, limits, trust_env=settings.trust_env)
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(settings.timeout),
        limits=limits,
        headers={"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        follow_redirects=False,
        trust_env=settings.trust_env,
        transport=transport,
    ) as client:
        checker = _Checker(client, settings, guard)

        async def one(url: str) -> LinkResult:
            result = await checker.check(url, url in need_body)
            if on_done is not None:
                on_done(result)
            return result

        tasks = {asyncio.ensure_future(one(u)): u for u in urls}
        _done, pending = await asyncio.wait(tasks, timeout=settings.deadline)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    results: dict[str, LinkResult] = {}
    for task, url in tasks.items():
        if task.cancelled():
            results[url] = LinkResult(url=url, unchecked=deadline_reason(settings.deadline), transient=True,
                                      checked_at=time.time())
        else:
            results[url] = task.result()
    return results


def run_checks(
    urls: Collection[str],
    need_body: Collection[str],
    settings: CheckSettings,
    on_done: Callable[[LinkResult], None] | None = None,
) -> dict[str, LinkResult]:
    """Synchronous entry point: runs the batch in its own event loop.

    When the caller already runs an event loop in this thread (a language server), the
    batch runs in a helper thread so it never nests loops.
    """
    if not urls:
        return {}
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(check_urls(urls, need_body, settings, on_done))
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(check_urls(urls, need_body, settings, on_done))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="naislint-external", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]
