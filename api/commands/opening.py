"""How the commands open their store (`--store URL|DIR`, `--data DIR`, `$POLICYKG_STORE`) and
what they say when they cannot start: the store held by another process or unreachable, the
port taken. Messages in zh and en, since these are the first errors a new user meets."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from policykg.queries.backend import GraphStore, open_store, store_spec
from policykg.queries.sparql_client import StoreUnavailableError, is_remote

STORE_HELP = ("A SPARQL 1.1 server (http://HOST:PORT; credentials from POLICYKG_STORE_USER / "
              "POLICYKG_STORE_PASSWORD) or a store directory. Default: $POLICYKG_STORE, else --data.")
StoreOption = Annotated[str | None, typer.Option("--store", help=STORE_HELP, show_default=False)]


def open_for(data: Path | None, store: str | None, *,
             read_only: bool = False) -> tuple[GraphStore, str | Path]:
    """The store the options name (`backend.store_spec`), and what to call it in messages.
    Raises ValueError (both options), `StoreError` or OSError (cannot open)."""
    spec = store_spec(data, store)
    return open_store(spec, read_only=read_only), spec


def store_unavailable(data_dir: Path | str, exc: Exception) -> str:
    """A sentence for a failed store open; RocksDB's lock error becomes "in use by a server"."""
    if isinstance(exc, ValueError | StoreUnavailableError) or is_remote(data_dir):
        return str(exc)
    if "lock" in str(exc).lower():
        return (f"the store in {data_dir} is in use by another process (is `policykg serve` "
                "running on it?). Stop that process first, or add documents through the running "
                "server (POST /documents). / 存储目录正被另一进程占用(是否正在运行 policykg serve?)。"
                "请先停止该进程,或通过运行中的服务 POST /documents 添加文件。")
    return f"cannot open the store in {data_dir}: {exc} / 无法打开存储目录"


def port_taken(host: str, port: int) -> str | None:
    """None when `host:port` can be bound, else a sentence saying it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as uvicorn binds
        try:
            sock.bind((host, port))
        except OSError as exc:
            return (f"cannot listen on {host}:{port}: {exc.strerror or exc}. Another server may "
                    f"be running there; choose another --port. / 无法监听 {host}:{port}"
                    "(端口可能已被占用),请换一个 --port。")
    return None
