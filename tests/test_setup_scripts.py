"""The install step of `scripts/test` and `.ci/run` waits for apt's locks instead of aborting.

apt itself is not run here: a stand-in `apt-get` early on PATH answers as apt does when another
process holds its lock, so the test is about our script's waiting, not about Debian.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "apt-install"

BUSY_APT = """#!/usr/bin/env bash
# Busy for the first {busy} calls, as apt is while an unattended upgrade holds its lock.
n=$(cat "{counter}" 2>/dev/null || echo 0); echo $((n + 1)) > "{counter}"
echo "apt-get $*" >> "{calls}"
if [ "$n" -lt {busy} ]; then
  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
  exit 100
fi
exit 0
"""

MISSING_APT = """#!/usr/bin/env bash
echo "apt-get $*" >> "{calls}"
case "$1" in update) exit 0 ;; esac
echo "E: Unable to locate package no-such-package" >&2
exit 100
"""


def _run(tmp_path: Path, fake: str, *packages: str, **fmt: object) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    apt = bin_dir / "apt-get"
    apt.write_text(fake.format(counter=tmp_path / "n", calls=tmp_path / "calls", **fmt))
    apt.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "APT_RETRY_S": "0.1", "APT_LOCK_WAIT_S": "30"}
    return subprocess.run(["bash", str(SCRIPT), *packages], env=env, capture_output=True, text=True, check=False, timeout=60)


def test_a_held_apt_lock_is_waited_for_and_the_install_then_goes_through(tmp_path: Path) -> None:
    done = _run(tmp_path, BUSY_APT, "chromium", busy=3)
    assert done.returncode == 0, done.stderr
    assert "apt is busy in another process (held by process 4242 (apt-get)); waiting up to 30 s" in done.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert calls[-1].startswith("apt-get -o DPkg::Lock::Timeout=30 install -y -qq chromium")
    assert len(calls) == 5  # three refused updates, the update, the install


def test_a_package_that_cannot_be_had_fails_at_once_with_apts_own_error(tmp_path: Path) -> None:
    done = _run(tmp_path, MISSING_APT, "no-such-package")
    assert done.returncode != 0
    assert "Unable to locate package no-such-package" in done.stderr
    assert len((tmp_path / "calls").read_text().splitlines()) == 2  # no waiting on a real "no"
