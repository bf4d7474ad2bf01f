"""A Streamlit server started on a free loopback port, and Debian's Chromium watching its script runs: shared by
the browser tests and the load runs."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from etl import config

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Counts finished script runs and when the run state last changed, so a wait can tell a new run from the last one.
RUN_WATCH = """
window.__runs = {document: Math.random(), finished: 0, state: null, changed: performance.now(), log: []};
const note = (state) => {
  if (state === window.__runs.state) return;
  if (state === 'notRunning') window.__runs.finished += 1;
  window.__runs.state = state;
  window.__runs.changed = performance.now();
  window.__runs.log.push([Math.round(window.__runs.changed), state]);
};
new MutationObserver((records) => {
  // A quick run can go running -> notRunning within one batch of records: replay every value the attribute had.
  for (const record of records) {
    if (record.attributeName === 'data-test-script-state' && record.oldValue !== null) note(record.oldValue);
  }
  const app = document.querySelector('[data-testid="stApp"]');
  note(app ? app.getAttribute('data-test-script-state') : null);
}).observe(document, {subtree: true, childList: true, attributes: true, attributeOldValue: true});
"""
SETTLED = """
([document_id, after, since]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const runs = window.__runs;
  // A click that loaded a new document (rather than navigating in place) starts the count again.
  const before = runs.document === document_id ? after : 0;
  const now = performance.now();
  // Either the run the action started was seen to finish, or nothing has stirred for a while since the action:
  // React may fold a quick run into one render that never shows "running". The page checks then say what is wrong.
  const ran = runs.finished > before || (before > 0 && now - Math.max(runs.changed, since) > QUIET_MS);
  return app && ran && runs.state === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && now - runs.changed > 300
    && !document.querySelector('[data-testid="stStatusWidget"]');
}
""".replace("QUIET_MS", "2500")
STATE = """
() => ({runs: window.__runs, now: performance.now(),
        app: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-connection-state'),
        status: document.querySelector('[data-testid="stStatusWidget"]')?.innerText})
"""


def free_port() -> int:
    """A TCP port free on loopback just now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(warehouse: Path, role: str, log: Path, address: str = "127.0.0.1",
          env: dict | None = None, script: str = "app.py") -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run app.py` (or another script, relative to the project root) on a free port of `address` against
    `warehouse` (reached on 127.0.0.1 either way); yields its base URL and process, and stops it afterwards."""
    port = free_port()
    environment = {**os.environ, "WAREHOUSE_DIR": str(warehouse), "LOCAL_ROLE": role,
                   # Pages edited while the server runs must not trigger "source changed" reruns.
                   "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", **(env or {})}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
             "--server.address", address, "--server.headless", "true"],
            cwd=config.PROJECT_ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(f"{base}/_stcore/health", process, log)
            yield base, process
        finally:
            stop(process)


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    """Wait (up to a minute) for a server to answer 200 at url; raise with its log if it dies or never answers."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{url} did not come up:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    """Stop a server (terminate, then kill)."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
