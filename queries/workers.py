"""Run user-shaped queries in worker processes: killed at their deadline, capped in memory,
unable to open a network socket, behind a bounded queue.

Why processes: Oxigraph cannot be interrupted from Python, and a deeply nested query can
overflow its parser's stack (SIGSEGV). In a worker process a query past its deadline is
SIGKILLed (its CPU and memory are back within milliseconds) and a crash costs one worker,
which is replaced; the server itself never runs user-shaped SPARQL.

Each worker is forked from the server and, before taking any job:
- sees the store read-only: an on-disk store through a checkpoint of it (`PolicyStore.checkpoint`,
  hard links, one per write), opened with `pyoxigraph.Store.read_only` — opening the live files
  read-only raced with the writer's compactions ("No such file … .sst"); an in-memory store is
  the copy the fork inherited. After a write (`GenerationLock` released) every worker is stale
  and is replaced by a fresh fork, so answers always reflect the last committed write;
- caps its address space (`resource.setrlimit(RLIMIT_AS)`, `memory_bytes` above what it
  already maps): a query that allocates past it ends the worker, not the machine;
- installs a seccomp filter (libseccomp via `pyseccomp`) under which `socket()` for any
  family but AF_UNIX (and io_uring) fails with EACCES. Oxigraph's `SERVICE` client therefore
  cannot connect anywhere, whatever the query text looks like: the guarantee comes from the
  kernel, not from reading the query. A `SERVICE` call fails with `ServiceBlockedError`;
  `SERVICE SILENT` gets the empty answer SPARQL gives an unreachable service.

Jobs are module-level functions `func(store, *args)`: pickled by name, run in the worker,
their result (or exception) pickled back. `run` blocks its calling thread; the API calls it
through `asyncio`'s thread pool (see `api/sparql.py`). At most `size` jobs run and at most
`queue` wait (each up to `queue_timeout` seconds); past that `WorkersBusyError` (503).
"""

from __future__ import annotations

import asyncio
import errno
import multiprocessing
import os
import resource
import shutil
import signal
import socket
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from .store import PolicyStore, QueryTimeoutError, StoreError

T = TypeVar("T")
_CTX = multiprocessing.get_context("fork")


class WorkersBusyError(StoreError):
    """Every worker is busy and the queue in front of them is full (or waited too long)."""


class WorkerCrashedError(StoreError):
    """The query ended its worker process: the memory cap, or a crash inside the engine."""


class ServiceBlockedError(StoreError):
    """The query tried to open a network connection (SERVICE), which workers cannot do."""


# ---- inside a worker -----------------------------------------------------------------------


def deny_network() -> None:
    """Seccomp: socket() of any family but AF_UNIX, and io_uring, fail with EACCES."""
    import pyseccomp as seccomp  # imported here: only workers need libseccomp

    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    rules.add_rule(seccomp.ERRNO(errno.EACCES), "socketpair", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    rules.add_rule(seccomp.ERRNO(errno.EACCES), "io_uring_setup")
    rules.load()


def release_inherited_descriptors(keep: set[int]) -> None:
    """Let go of the server's sockets and pipes the fork copied: the listening socket, every
    client connection open at that moment, the pipes of the server's own children. A worker
    holding a copy keeps a connection the server has closed half-open (no FIN is sent), so a
    keep-alive client that reuses it waits for an answer that never comes; a child of the
    server waiting for its input pipe to close never sees it close.

    Each is replaced by /dev/null rather than closed, so its number stays taken: an inherited
    Python object that still owns the number and is finalised later closes /dev/null, never a
    file the worker opened since. `keep`: the worker's own connection and multiprocessing's
    parent sentinel. (multiprocessing's "child alive" pipe goes too: the server only joins a
    worker after killing it or after its connection ended, never to wait for it.)"""
    null = os.open(os.devnull, os.O_RDWR)
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd <= 2 or fd == null or fd in keep:
            continue
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue  # the descriptor of the listdir itself, gone by now
        if stat.S_ISSOCK(mode) or stat.S_ISFIFO(mode):
            os.dup2(null, fd)
    os.close(null)


def _mapped_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def cap_memory(memory_bytes: int) -> None:
    """RLIMIT_AS at what the worker already maps (the fork inherits the server's) plus the cap."""
    limit = _mapped_bytes() + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_main(conn: Connection, store: PolicyStore, snapshot: Path | None,
                 memory_bytes: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    release_inherited_descriptors({conn.fileno(), *([parent.sentinel] if parent else [])})
    if snapshot is not None:
        store = PolicyStore.open(snapshot, read_only=True)
    else:
        store = store.as_read_only()  # a remote store: its own connections, opened after the fork
    if not store.remote:  # a remote store's worker must reach the server; its SERVICE is refused
        deny_network()    # by `RemoteStore.raw_query` and computed, if at all, by the server
    cap_memory(memory_bytes)
    while True:
        try:
            func, args = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            reply: tuple[str, Any] = ("ok", func(store, *args))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the server
            reply = ("error", exc)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
            conn.send(("error", StoreError(f"{type(exc).__name__}: {exc}")))


# ---- in the server -------------------------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    generation: int
    demoted: bool = False
    slot_given: bool = False

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=2)
        self.conn.close()


@dataclass
class WorkerPool:
    """`size` worker processes over `store`; see the module docstring."""

    store: PolicyStore
    size: int = 4
    queue: int = 64
    queue_timeout: float = 30.0
    memory_bytes: int = 1024 * 1024 * 1024
    #: after this many seconds a query's worker drops to the lowest CPU priority (nice 19) and,
    #: while fewer than `size` queries are demoted, gives its slot to the queue: a few heavy
    #: queries neither slow the light ones down nor make them wait. It is retired afterwards.
    demote_after: float = 0.5
    _idle: list[_Worker] = field(default_factory=list, init=False)
    _free: int = field(default=0, init=False)
    _waiting: int = field(default=0, init=False)
    _demoted: int = field(default=0, init=False)
    _generation: int = field(default=0, init=False)
    _lock: threading.Condition = field(default_factory=threading.Condition, init=False)
    _closed: bool = field(default=False, init=False)
    _live: set[_Worker] = field(default_factory=set, init=False)
    _snapshot_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _snapshots_dir: Path | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._free = self.size
        # one waiting thread per running or queued job; more are refused by `_checkout`
        self._threads = ThreadPoolExecutor(self.size + self.queue + 1, "policykg-query")

    async def call(self, func: Callable[..., T], *args: Any, timeout: float) -> T:
        """`run` from the event loop, on the pool's own threads."""
        return await asyncio.wrap_future(self._threads.submit(self.run, func, *args, timeout=timeout))

    def invalidate(self) -> None:
        """The store changed: workers forked before now are replaced before their next job."""
        with self._lock:
            self._generation += 1
            stale, self._idle = self._idle, []
        for worker in stale:  # their successors are forked from the new state, in the background
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()

    def _snapshot(self, generation: int) -> Path | None:
        """The checkpoint workers of `generation` read (on-disk stores); older ones that no
        live worker reads any more are deleted."""
        if self.store.path is None:
            return None
        with self._snapshot_lock:
            if self._snapshots_dir is None:
                self._snapshots_dir = Path(tempfile.mkdtemp(
                    prefix=f".{self.store.path.name}-snapshots-", dir=self.store.path.parent))
            target = self._snapshots_dir / f"gen-{generation}"
            if not target.exists():
                self.store.checkpoint(target)
            with self._lock:
                in_use = {w.generation for w in self._live if w.process.is_alive()}
                current = self._generation
            for old in self._snapshots_dir.glob("gen-*"):
                number = int(old.name.removeprefix("gen-"))
                if number < current and number not in in_use and number != generation:
                    shutil.rmtree(old, ignore_errors=True)
            return target

    def _spawn(self) -> _Worker:
        generation = self._generation
        snapshot = self._snapshot(generation)
        mine, theirs = _CTX.Pipe()
        process = _CTX.Process(target=_worker_main,
                               args=(theirs, self.store, snapshot, self.memory_bytes),
                               name="policykg-query", daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, mine, generation)
        with self._lock:
            self._live = {w for w in self._live if w.process.is_alive()} | {worker}
        return worker

    def _checkout(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise WorkersBusyError("the query workers are shut down")
            if self._free == 0 and self._waiting >= self.queue:
                raise WorkersBusyError(
                    f"all {self.size} query workers are busy and {self._waiting} queries are "
                    "already waiting")
            self._waiting += 1
            try:
                if not self._lock.wait_for(lambda: self._free > 0 or self._closed,
                                           self.queue_timeout):
                    raise WorkersBusyError(
                        f"no query worker came free within {self.queue_timeout:g} s")
                if self._closed:
                    raise WorkersBusyError("the query workers are shut down")
            finally:
                self._waiting -= 1
            self._free -= 1
            worker = self._idle.pop() if self._idle else None
            generation = self._generation
        if worker is not None and (worker.generation != generation or not worker.process.is_alive()):
            worker.kill()
            worker = None
        try:
            return worker or self._spawn()
        except BaseException:
            self._release(None, reusable=False)
            raise

    def _demote(self, worker: _Worker) -> None:
        os.setpriority(os.PRIO_PROCESS, worker.process.pid, 19)
        worker.demoted = True
        with self._lock:
            if self._demoted < self.size:
                self._demoted += 1
                self._free += 1
                worker.slot_given = True
                self._lock.notify()

    def _release(self, worker: _Worker | None, reusable: bool = True) -> None:
        with self._lock:
            fresh = (worker is not None and reusable and not worker.demoted and not self._closed
                     and worker.generation == self._generation)
            if fresh:
                self._idle.append(worker)
            if worker is not None and worker.slot_given:
                self._demoted -= 1  # its slot went back to the queue when it was demoted
            else:
                self._free += 1
                self._lock.notify()
        if not fresh:  # killed, crashed, demoted or stale: fork its successor ahead of time
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()

    def _replace(self, worker: _Worker | None) -> None:
        if worker is not None:
            worker.kill()
        with self._lock:
            if self._closed or len(self._idle) >= self.size:
                return
            generation = self._generation
        spare = self._spawn()
        with self._lock:
            if not self._closed and generation == self._generation and len(self._idle) < self.size:
                spare.generation = generation
                self._idle.append(spare)
                return
        spare.kill()

    def run(self, func: Callable[..., T], *args: Any, timeout: float) -> T:
        """`func(store, *args)` in a worker; its exception is re-raised here. A job past
        `timeout` seconds kills its worker and raises `QueryTimeoutError`."""
        worker = self._checkout()
        keep: _Worker | None = None
        try:
            worker.conn.send((func, args))
            deadline = time.monotonic() + timeout
            if not worker.conn.poll(min(self.demote_after, timeout)):
                self._demote(worker)
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    raise QueryTimeoutError(f"the query ran past the {timeout:g} s limit")
            try:
                status, value = worker.conn.recv()
            except (EOFError, OSError):
                raise
            except Exception as exc:  # noqa: BLE001 - a reply that does not unpickle
                raise StoreError(f"unreadable answer from the query worker: {exc}") from None
            keep = worker
        except (EOFError, OSError):
            worker.process.join(timeout=1)
            code = worker.process.exitcode
            raise WorkerCrashedError(
                f"the query ended its worker process (exit status {code}): it needed more than "
                f"the {self.memory_bytes // 2**20} MiB memory limit, or crashed the engine") from None
        finally:
            if keep is None:
                worker.process.kill()  # at once: its CPU and memory are back now
            self._release(worker, reusable=keep is not None)
        if status == "error":
            if isinstance(value, PermissionError) and "os error 13" in str(value):
                raise ServiceBlockedError(str(value))
            raise value
        return value

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._lock.notify_all()
        for worker in idle:
            worker.kill()
        self._threads.shutdown(wait=False, cancel_futures=True)
        if self._snapshots_dir is not None:
            shutil.rmtree(self._snapshots_dir, ignore_errors=True)


class GenerationLock:
    """The API's write lock: releasing it tells the pool that the store may have changed."""

    def __init__(self, pool: WorkerPool):
        self._lock = threading.Lock()
        self._pool = pool

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return self._lock.acquire(blocking, timeout)

    def release(self) -> None:
        self._pool.invalidate()
        self._lock.release()

    def __enter__(self) -> GenerationLock:
        self._lock.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
