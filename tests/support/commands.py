"""Running the real `debrief` command in a subprocess, as the end-to-end tests do."""

from __future__ import annotations

import subprocess


def run_debrief(debrief_bin: str, env: dict[str, str], *args: str, stdin: str = "",
                timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`debrief ARGS` with `stdin` as its input, its output captured as text. The timeout only
    stops a hung command; no test waits for it."""
    return subprocess.run([debrief_bin, *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=timeout)
