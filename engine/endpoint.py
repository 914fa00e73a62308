"""Read-only SPARQL 1.1 Protocol endpoint over an embedded store, with per-query time and memory limits.

At start the server takes a snapshot of the store (a RocksDB checkpoint), and every worker process,
replacements included, answers from that one snapshot: the same query always gets the same answer.
pyoxigraph 0.5 cannot cancel a running query, so a query past its limit is stopped by killing its
worker, which is then replaced. No query reaches another host (engine/sparql_guard.py).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import re
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection

import pyoxigraph as ox

from engine.answer_cache import AnswerCache
from engine.service_description import endpoint_url, service_description
from engine.sparql_guard import RefusedQuery, check_request
from engine.store import EmbeddedStore, QueryError, QueryResult, StoreError, existing_store

QUERY_PATH = "/query"
MAX_BODY = 10 * 1024 * 1024
LISTEN_BACKLOG = 128
"""Connections the kernel queues while every thread is busy accepting (socketserver's default is 5)."""
TRUNCATED_HEADER = "X-Result-Truncated"
_SPAWN = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class _Request:
    """A query for a worker, with the client's Accept header and RDF dataset parameters."""

    sparql: str
    accept: str
    default_graph_uris: tuple[str, ...]
    named_graph_uris: tuple[str, ...]


@dataclass(frozen=True)
class _Reply:
    """A worker's (or the pool's) answer: HTTP status, media type, body, and rows kept if cut."""

    status: int
    media_type: str
    body: bytes
    cut_at: int | None = None


def _error(status: int, message: str) -> _Reply:
    """A plain-text error reply."""
    return _Reply(status, "text/plain", (message + "\n").encode())


def _negotiate(accept: str, offers: list[str]) -> str | None:
    """The offer the Accept header rates highest (ties go to the earlier offer), or None if none is acceptable."""
    ranges = []
    for part in (accept or "*/*").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    best, best_q = None, 0.0
    for offer in offers:
        specificity, q = -1, 0.0
        for media, mq in ranges:
            s = 2 if media == offer else 1 if media == offer.split("/")[0] + "/*" else 0 if media == "*/*" else -1
            if s > specificity:
                specificity, q = s, mq
        if q > best_q:
            best, best_q = offer, q
    return best


def _answer(store: EmbeddedStore, request: _Request, max_rows: int) -> _Reply:
    """Run one query and serialise its result in the negotiated format."""
    try:
        result = store.query(
            request.sparql,
            max_rows=max_rows,
            default_graph_uris=request.default_graph_uris,
            named_graph_uris=request.named_graph_uris,
        )
    except QueryError as e:
        return _error(400, f"invalid query: {e}")
    except Exception as e:  # noqa: BLE001 - any failure becomes a 500 reply, the worker lives on
        return _error(500, f"query failed: {type(e).__name__}: {e}")
    media_type = _negotiate(request.accept, result.media_types())
    if media_type is None:
        return _error(406, "acceptable types for this query: " + ", ".join(result.media_types()))
    return _Reply(200, media_type, result.serialize(media_type), max_rows if result.truncated else None)


def _exit_with_parent(parent: int) -> None:
    """Exit this worker as soon as the server that started it is gone (queries run without the GIL)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _limit_memory(extra_mb: int) -> None:
    """Cap this process's address space at what it maps now plus `extra_mb`: a query that needs more
    fails its allocation and the worker dies (reported as out of memory), instead of swapping the machine."""
    status = open("/proc/self/status", encoding="ascii").read()  # noqa: SIM115 - read at once
    mapped = re.search(r"^VmSize:\s+(\d+) kB", status, re.MULTILINE)
    if mapped:
        limit = int(mapped.group(1)) * 1024 + extra_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _worker_main(conn: Connection, store_path: str, max_rows: int, max_memory_mb: int, parent: int) -> None:
    """Worker loop: open the store read-only, bound its memory, then answer requests until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    try:
        store = EmbeddedStore(ox.Store.read_only(store_path))
        store.query("ASK {}")  # map the engine's own memory before measuring what a query may add
    except OSError as e:
        conn.send(f"cannot open store {store_path}: {e}")
        return
    if sys.platform == "linux":
        _limit_memory(max_memory_mb)
    conn.send(None)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        conn.send(_answer(store, request, max_rows))


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, store_path: str, max_rows: int, max_memory_mb: int) -> None:
        self.conn, child = _SPAWN.Pipe()
        args = (child, store_path, max_rows, max_memory_mb, os.getpid())
        self.process = _SPAWN.Process(target=_worker_main, args=args, daemon=True)
        self.process.start()
        child.close()
        problem = self.conn.recv() if self.conn.poll(60) else "worker did not start within 60 s"
        if problem is not None:
            self.kill()
            raise OSError(problem)

    def ask(self, request: _Request, timeout_s: float) -> _Reply:
        """Send a request and wait for the reply; TimeoutError past `timeout_s`, EOFError/OSError if the worker died."""
        self.conn.send(request)
        if not self.conn.poll(timeout_s):
            raise TimeoutError
        return self.conn.recv()

    def kill(self) -> None:
        """Stop the process at once (SIGKILL) and release the pipe."""
        self.process.kill()
        self.process.join()
        self.conn.close()

    def death_reply(self, max_memory_mb: int) -> _Reply:
        """Why the worker died under a query: a stack overflow (the query was too complex to parse),
        its memory bound, or something else."""
        self.process.join(5)
        if self.process.exitcode == -signal.SIGSEGV:
            return _error(400, "query too deeply nested or too long for the query engine")
        if self.process.exitcode == -signal.SIGABRT:
            return _error(503, f"query stopped: it needed more than {max_memory_mb} MB of memory")
        return _error(500, f"query worker died (exit code {self.process.exitcode})")


class _Pool:
    """Idle workers; a worker that times out or dies is killed and replaced in the background."""

    def __init__(self, store_path: str, size: int, max_rows: int, max_memory_mb: int) -> None:
        self.store_path, self.max_rows, self.max_memory_mb = store_path, max_rows, max_memory_mb
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        """Start a worker and make it available."""
        worker = _Worker(self.store_path, self.max_rows, self.max_memory_mb)
        with self.lock:
            if self.closed:
                worker.kill()
                return
            self.all.add(worker)
        self.idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its replacement on another thread."""
        with self.lock:
            self.all.discard(worker)
        worker.kill()
        threading.Thread(target=self._add, daemon=True).start()

    def run(self, request: _Request, timeout_s: float) -> _Reply:
        """Answer a request within `timeout_s` of waiting for a worker plus `timeout_s` of running."""
        try:
            worker = self.idle.get(timeout=timeout_s)
        except queue.Empty:
            return _error(503, f"all query workers busy for {timeout_s:g} s; try again later")
        try:
            reply = worker.ask(request, timeout_s)
        except TimeoutError:
            self._replace(worker)
            return _error(503, f"query stopped: it ran past the {timeout_s:g} s time limit")
        except (EOFError, OSError):
            reply = worker.death_reply(self.max_memory_mb)
            self._replace(worker)
            return reply
        self.idle.put(worker)
        return reply

    def close(self) -> None:
        """Kill every worker."""
        with self.lock:
            self.closed = True
            workers, self.all = self.all, set()
        for worker in workers:
            worker.kill()


class _Server(ThreadingHTTPServer):
    """The HTTP server, holding the worker pool, the time limit, the origins allowed by CORS and the hosts
    SERVICE may reach."""

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG
    pool: _Pool

    def __init__(
        self,
        address: tuple[str, int],
        timeout_s: float,
        cors_origins: frozenset[str],
        allowed_hosts: frozenset[str],
        idle_timeout_s: float,
        cache_mb: int,
    ) -> None:
        super().__init__(address, _Handler)
        self.timeout_s, self.cors_origins = timeout_s, cors_origins
        self.allowed_hosts, self.idle_timeout_s = allowed_hosts, idle_timeout_s
        self.answers: AnswerCache[_Request, _Reply] = AnswerCache(
            cache_mb * 1024 * 1024, lambda reply: len(reply.body), lambda reply: reply.status == 200
        )


def cors_headers(origin: str | None, allowed: frozenset[str]) -> dict[str, str]:
    """The CORS response headers for a request from `origin`: none unless it is allowed (`*` allows any),
    so a browser page of another origin reads the answer only where the operator said so."""
    if origin is None or not (origin in allowed or "*" in allowed):
        return {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin", "Access-Control-Expose-Headers": TRUNCATED_HEADER}


def preflight_headers(origin: str | None, allowed: frozenset[str]) -> dict[str, str]:
    """The answer to a CORS preflight (OPTIONS): the methods and headers a query may use, for allowed origins."""
    headers = cors_headers(origin, allowed)
    if headers:
        headers |= {
            "Access-Control-Allow-Methods": "GET, POST",
            "Access-Control-Allow-Headers": "Accept, Content-Type",
            "Access-Control-Max-Age": "600",
        }
    return {"Allow": "GET, POST, OPTIONS", **headers}


class _Handler(BaseHTTPRequestHandler):
    """SPARQL Protocol queries on GET/POST /query; every write (update, graph store) gets 403."""

    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        """Close a connection silent past the server's idle timeout (socket timeout; each holds a thread)."""
        super().setup()
        self.connection.settimeout(self.server.idle_timeout_s)

    def parse_request(self) -> bool:
        """Parse the request line and headers, noting when the request started (for its log line)."""
        self.started = time.monotonic()
        return super().parse_request()

    def log_error(self, format: str, *args: object) -> None:
        """Silenced: the request's status line is logged once by `log_request`."""

    def do_GET(self) -> None:
        """A query in the URL (`?query=`); `?update=` is refused."""
        url = urllib.parse.urlsplit(self.path)
        if url.path != QUERY_PATH:
            self._reply(_error(404, f"not found; the query service is {QUERY_PATH}"))
            return
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            self._forbid(params["update"])
        elif "query" not in params:
            self._describe()
        else:
            self._query(params)

    def do_OPTIONS(self) -> None:
        """A CORS preflight (or a plain OPTIONS): the allowed methods, and CORS headers for allowed origins."""
        if urllib.parse.urlsplit(self.path).path != QUERY_PATH:
            self._reply(_error(404, f"not found; the query service is {QUERY_PATH}"))
            return
        self._reply(
            _Reply(204, "text/plain", b""), preflight_headers(self.headers.get("Origin"), self.server.cors_origins)
        )

    def _describe(self) -> None:
        """The SPARQL 1.1 Service Description, in the RDF format the client accepts."""
        host, port = self.server.server_address[:2]
        url = endpoint_url(self.headers.get("Host"), str(host), int(port), QUERY_PATH)
        description = QueryResult(
            "graph",
            ("subject", "predicate", "object"),
            tuple((t.subject, t.predicate, t.object) for t in service_description(url)),
        )
        media_type = _negotiate(self.headers.get("Accept", "*/*"), description.media_types())
        if media_type is None:
            self._reply(_error(406, "the service description is RDF: " + ", ".join(description.media_types())))
        else:
            self._reply(_Reply(200, media_type, description.serialize(media_type)))

    def do_POST(self) -> None:
        """A query as a form field or as the body; updates and posts to other paths are refused."""
        url = urllib.parse.urlsplit(self.path)
        declared = self.headers.get("Content-Length", "0")
        if not declared.isdigit():
            self.close_connection = True
            self._reply(_error(400, "POST needs a valid Content-Length"))
            return
        length = int(declared)
        if length > MAX_BODY:
            self.close_connection = True
            self._reply(_error(413, f"request body over {MAX_BODY} bytes"))
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media_type = self.headers.get_content_type()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if media_type == "application/x-www-form-urlencoded":
            params = urllib.parse.parse_qs(body, keep_blank_values=True)
        if media_type == "application/sparql-update":
            self._forbid([body])
        elif url.path != QUERY_PATH or "update" in params:
            self._forbid(params.get("update", []))
        elif media_type == "application/sparql-query":
            self._query({**params, "query": [body]})
        elif media_type == "application/x-www-form-urlencoded":
            self._query(params)
        else:
            self._reply(_error(415, "POST application/sparql-query or application/x-www-form-urlencoded"))

    def _forbid(self, updates: list[str] | None = None) -> None:
        """Refuse a write, closing the connection (its body may be unread); an update that would reach
        another host (LOAD) is told so (400), as a query would be."""
        self.close_connection = True
        refusal = next(filter(None, (self._refusal(u) for u in updates or [])), None)
        self._reply(
            refusal or _error(403, "this endpoint is read-only: SPARQL Update and Graph Store writes are refused")
        )

    def do_PUT(self) -> None:
        """Graph Store writes are refused."""
        self._forbid()

    do_DELETE = do_PATCH = do_PUT

    def _refusal(self, text: str) -> _Reply | None:
        """A 400 reply if the request reaches another host or nests too deeply (sparql_guard), else None."""
        try:
            check_request(text, self.server.allowed_hosts)
        except RefusedQuery as e:
            return _error(400, str(e))
        return None

    def _query(self, params: dict[str, list[str]]) -> None:
        """Validate the protocol parameters and answer the query through the pool."""
        queries = params.get("query", [])
        if len(queries) != 1:
            self._reply(_error(400, "give exactly one 'query' parameter"))
            return
        refusal = self._refusal(queries[0])
        if refusal is not None:
            self._reply(refusal)
            return
        request = _Request(
            queries[0],
            self.headers.get("Accept", "*/*"),
            tuple(params.get("default-graph-uri", [])),
            tuple(params.get("named-graph-uri", [])),
        )
        pool, timeout_s = self.server.pool, self.server.timeout_s
        self._reply(self.server.answers.answer(request, lambda: pool.run(request, timeout_s)))

    def _reply(self, reply: _Reply, headers: dict[str, str] | None = None) -> None:
        """Send a reply, with CORS headers for an allowed origin, and log its line."""
        charset = "; charset=utf-8" if reply.media_type.startswith("text/") else ""
        self.send_response(reply.status)
        if reply.status != 204:
            self.send_header("Content-Type", reply.media_type + charset)
        self.send_header("Content-Length", str(len(reply.body)))
        if headers is None:
            headers = cors_headers(self.headers.get("Origin"), self.server.cors_origins)
        for name, value in headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        if reply.cut_at is not None:
            self.send_header(TRUNCATED_HEADER, f"results cut at max_rows={reply.cut_at}")
        self.end_headers()
        self.wfile.write(reply.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One line per request: client, request line (shortened), status, seconds taken."""
        line = self.requestline if len(self.requestline) <= 200 else self.requestline[:197] + "..."
        elapsed = time.monotonic() - getattr(self, "started", time.monotonic())
        self.log_message('"%s" %s %.3fs', line, code, elapsed)


def _snapshot(store_path: str, into: str) -> str:
    """A consistent copy of the store (RocksDB checkpoint: hard links where it can) in `into`; its path."""
    path = os.path.join(into, "snapshot")
    try:
        ox.Store.read_only(existing_store(store_path)).backup(path)
    except OSError as e:
        raise StoreError(f"cannot snapshot store {store_path}: {e}") from e
    return path


def serve(
    store_path: str,
    *,
    host: str,
    port: int,
    timeout_s: float,
    max_rows: int,
    workers: int,
    cors_origins: frozenset[str],
    max_memory_mb: int,
    allowed_hosts: frozenset[str],
    idle_timeout_s: float,
    cache_mb: int,
) -> None:
    """Serve a snapshot of the store at `store_path` read-only on http://host:port/query until interrupted
    or SIGTERM; browser pages of `cors_origins` may read the answers (none by default). A missing store is
    a StoreError, a port that cannot be bound an OSError, both raised at once."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    scratch = tempfile.mkdtemp(prefix="budget-kg-serve-")
    try:
        snapshot = _snapshot(store_path, scratch)
        with _Server((host, port), timeout_s, cors_origins, allowed_hosts, idle_timeout_s, cache_mb) as server:
            server.pool = _Pool(snapshot, workers, max_rows, max_memory_mb)
            try:
                url = f"http://{host}:{server.server_port}{QUERY_PATH}"
                print(f"serving {store_path} at {url}", file=sys.stderr, flush=True)
                server.serve_forever()
            finally:
                server.pool.close()
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
