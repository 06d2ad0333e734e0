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
from typing import TYPE_CHECKING, Any, AsyncIterator, Callable, Collection
from urllib.parse import urlsplit

from naislint.external.anchors import page_anchors
from naislint.external.status import StatusSet

if TYPE_CHECKING:
    import httpx

USER_AGENT = "naislint-link-checker (+https://naislint.readthedocs.io/en/latest/rules/external-link/)"


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


@dataclass(frozen=True)
class LinkResult:
    """What one URL answered.

    ``status`` is the last HTTP status (``None`` when there was no answer; ``error``
    says why). ``final_url`` is set when redirects led elsewhere. ``anchors`` lists the
    ids of an HTML page whose body was read (``None`` otherwise); ``body_read`` says a
    ``GET`` body was asked for, so a cached result can serve fragment checks.
    ``transient`` results (no answer, ``429``, ``5xx``) are not cached: the next run asks
    again rather than remembering a passing outage.
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


class _Checker:
    def __init__(self, client: "httpx.AsyncClient", settings: CheckSettings) -> None:
        self.client = client
        self.settings = settings
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
        transient = answer.transient_error or _is_retryable_status(answer.status)
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

    async def send(self, request: "httpx.Request", read_body: bool) -> "tuple[_Answer, httpx.Request | None]":
        import httpx

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
    """Check every URL once, concurrently; ``need_body`` URLs are fetched with ``GET``."""
    import httpx

    limits = httpx.Limits(
        max_connections=max(1, settings.max_concurrency),
        max_keepalive_connections=max(1, settings.max_concurrency),
    )
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(settings.timeout),
        limits=limits,
        headers={"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
        follow_redirects=False,
        trust_env=settings.trust_env,
    ) as client:
        checker = _Checker(client, settings)

        async def one(url: str) -> LinkResult:
            result = await checker.check(url, url in need_body)
            if on_done is not None:
                on_done(result)
            return result

        results = await asyncio.gather(*(one(u) for u in urls))
    return {r.url: r for r in results}


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
