"""A scripted OpenAI-compatible chat server for tests, on 127.0.0.1.

``POST /v1/chat/completions`` answers with the next scripted :class:`Reply`
(or the reply a scripted callable builds from the request it got): a
non-streamed ``chat.completion`` JSON body, or — when the request asked for
``"stream": true`` — server-sent events ``data: {chat.completion.chunk}``
ending with ``data: [DONE]``. Every request is recorded (headers and JSON).
Error statuses, raw (malformed) bodies, extra headers and delays (longer
than a client's time-out) are scriptable.

Example::

    with StubLLMServer() as stub:
        stub.script(Reply("分項二為 350,000 千元[2]。"))
        ...  # point an OpenAI client at stub.base_url
        stub.requests[0]["json"]["messages"]
"""
from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Union


@dataclass
class Reply:
    """One scripted answer.

    Attributes:
        text: the assistant message content (streamed in pieces of
            ``piece_chars`` characters when the request streams).
        status: HTTP status; other than 200, a JSON error body
            ``{"error": {"message": text, ...}}`` is sent.
        body: raw bytes sent instead of the body built from ``text``
            (for malformed replies); for a streaming request, sent after
            the ``text`` pieces, before ``data: [DONE]``.
        delay_s: seconds to wait before answering (wakes early on stop).
        headers: extra response headers (e.g. ``{"Retry-After": "0"}``).
        piece_chars: characters per streamed delta.
    """

    text: str = ""
    status: int = 200
    body: bytes | None = None
    delay_s: float = 0.0
    headers: dict = field(default_factory=dict)
    piece_chars: int = 4


Script = Union[Reply, Callable[[dict], Reply]]


def _chunk(content: str | None, finish: str | None = None) -> bytes:
    delta = {} if content is None else {"role": "assistant", "content": content}
    obj = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": 0, "model": "stub",
           "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n"


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        stub = self.server.stub
        request = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "json": body}
        with stub.lock:
            stub.requests.append(request)
            item = stub.queue.popleft() if stub.queue else Reply("no scripted reply", status=500)
        try:
            reply = item(body or {}) if callable(item) else item
        except Exception as exc:  # noqa: BLE001 - reported to the client and kept for the test
            stub.errors.append(exc)
            reply = Reply(f"stub responder failed: {type(exc).__name__}: {exc}", status=500)
        if reply.delay_s and stub.stopping.wait(reply.delay_s):
            return
        try:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, b'{"error": {"message": "not found"}}', {})
            elif reply.status != 200:
                err = {"error": {"message": reply.text, "type": "stub_error", "code": reply.status}}
                self._send(reply.status, json.dumps(err).encode(), reply.headers)
            elif body and body.get("stream"):
                self._stream(reply)
            elif reply.body is not None:
                self._send(200, reply.body, reply.headers)
            else:
                obj = {"id": "chatcmpl-stub", "object": "chat.completion", "created": 0, "model": "stub",
                       "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text},
                                    "finish_reason": "stop"}],
                       "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                self._send(200, json.dumps(obj, ensure_ascii=False).encode(), reply.headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (time-out)

    def _send(self, status: int, payload: bytes, headers: dict) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(payload)

    def _stream(self, reply: Reply) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.end_headers()
        text, n = reply.text, max(1, reply.piece_chars)
        for i in range(0, len(text), n):
            self.wfile.write(_chunk(text[i:i + n]))
            self.wfile.flush()
        if reply.body is not None:
            self.wfile.write(reply.body)
        self.wfile.write(_chunk(None, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    stub: "StubLLMServer"


class StubLLMServer:
    """The stub server (see the module docstring); a context manager.

    Attributes:
        requests: every request received: ``{"path", "headers" (lower-case
            names), "json" (parsed body or None)}``, in order.
        errors: exceptions raised by scripted callables (answered with 500).
        base_url: ``http://127.0.0.1:PORT/v1`` once started.
    """

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.errors: list[Exception] = []  # raised by scripted callables
        self.queue: deque[Script] = deque()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "StubLLMServer":
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="stub-llm")
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    def __enter__(self) -> "StubLLMServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(self, *replies: Script) -> None:
        """Forget earlier requests and script; answer the next requests with
        ``replies`` in order (a callable gets the request JSON and returns a
        :class:`Reply`); after them, HTTP 500 "no scripted reply"."""
        with self.lock:
            self.requests.clear()
            self.errors.clear()
            self.queue.clear()
            self.queue.extend(replies)


# ------------------------------------------------------------ request helpers
_SOURCE_RE = re.compile(r'<source id="(\d+)"((?:\s+\w+="[^"]*")*)>\n(.*?)\n</source>', re.DOTALL)


def message(request_json: dict, role: str) -> str:
    """The content of the first message with ``role`` in a chat request."""
    return next(m["content"] for m in request_json["messages"] if m["role"] == role)


def sources_in(request_json: dict) -> dict[int, dict]:
    """The ``<source id="n" …>`` elements of a chat request's user message:
    n → ``{"attrs": {name: value}, "text": …}``."""
    out = {}
    for n, attrs, text in _SOURCE_RE.findall(message(request_json, "user")):
        out[int(n)] = {"attrs": dict(re.findall(r'(\w+)="([^"]*)"', attrs)), "text": text}
    return out
