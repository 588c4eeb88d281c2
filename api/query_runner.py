"""Run SPARQL evaluations in worker threads with a deadline and a bounded number of slots.

Oxigraph releases the GIL while it evaluates, so queries run in parallel with the event loop.
It cannot be interrupted from Python, though: a query past its deadline is answered with 503
at once and told to stop (`cancelled` is set and checked between result rows, which ends
streaming queries promptly by dropping their iterator), but a query blocked inside one step
(a big aggregate or ORDER BY over a cross product) keeps its thread until Oxigraph returns.
The trade-off, chosen over a subprocess per query (which cannot share an in-memory store and
would pay a store open per request): runaway queries cost CPU, never hang a request, and at
most `workers` of them exist — when every slot is taken, new queries get 503 `busy`
immediately instead of queueing behind them.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from policykg.api.errors import Busy, QueryTimeout

T = TypeVar("T")


class QueryRunner:
    """A fixed pool of query threads; `run` waits at most `timeout` seconds for an answer."""

    def __init__(self, workers: int):
        self.workers = workers
        self._slots = threading.BoundedSemaphore(workers)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql")

    def _call(self, work: Callable[[threading.Event], T], cancelled: threading.Event) -> T:
        try:
            return work(cancelled)
        finally:
            self._slots.release()

    async def run(self, work: Callable[[threading.Event], T], timeout: float) -> T:
        if not self._slots.acquire(blocking=False):
            raise Busy(
                f"All {self.workers} query slots are busy (possibly with queries past their "
                "time limit that are still winding down); retry shortly.",
                headers={"Retry-After": "5"},
            )
        cancelled = threading.Event()
        try:
            future = self._pool.submit(self._call, work, cancelled)
        except RuntimeError:
            self._slots.release()
            raise
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
        except TimeoutError:
            raise QueryTimeout(
                f"The query ran past the {timeout:g} s limit and was abandoned. "
                "Narrow it (more specific patterns, LIMIT) or ask the operator to raise "
                "POLICYKG_SPARQL_TIMEOUT.",
                {"timeout_seconds": timeout},
            ) from None
        finally:
            if not future.done():  # timed out, or the client went away: tell the worker to stop
                cancelled.set()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
