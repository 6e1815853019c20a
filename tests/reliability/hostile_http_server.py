"""A hostile HTTP source on 127.0.0.1 for tests/reliability/test_hostile_files.py: endless cursors, slow drips,
huge pages, a server that is always busy. ``mode`` says which; ``requests`` counts what it was sent."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        srv = self.server
        with srv.lock:
            srv.requests += 1
            n = srv.requests
        after = parse_qs(urlsplit(self.path).query).get("after", ["0"])[0]
        if srv.mode == "busy":
            body = b'{"error": "busy"}'
            self.send_response(503)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if srv.mode == "endless":  # a fresh cursor on every page, never a submission
            body = json.dumps({"submissions": [], "next": f"c{int(after.lstrip('c') or 0) + 1}"}).encode()
        elif srv.mode == "huge":  # a page far larger than the cap
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                self.wfile.write(b'{"submissions": ["')
                for _ in range(64):
                    self.wfile.write(b"x" * (1024 * 1024))
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        elif srv.mode == "drip":  # one byte at a time, forever
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                while not srv.stopping:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        else:
            body = json.dumps({"submissions": [], "next": None}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        del n


class HostileServer:
    def __init__(self, mode: str):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.mode, self.httpd.requests, self.httpd.lock = mode, 0, threading.Lock()
        self.httpd.stopping = False
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/attt/submissions"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def requests(self) -> int:
        return self.httpd.requests

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.stopping = True
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
