"""Fetching with git's own client: protocol v2, only the wanted refs, credentials kept safe.

libgit2 speaks only git protocol v0, in which the server first advertises *every* ref it has:
on a Gerrit project with hundreds of thousands of ``refs/changes/*`` and NoteDb ``meta`` refs
that is tens of megabytes before a single object moves, on every fetch. With protocol v2 the
client names the refs it wants (``ls-refs`` with a prefix, then ``fetch``) and the cost no
longer grows with the ref count. So the bytes are moved by ``git fetch -c protocol.version=2``
into the same bare mirror, and pygit2 keeps doing all the reading.

Credentials: never in argv, the URL, the mirror's configuration or a file. A credential
helper given on the command line reads them from this process's environment handed to the
child only (``GSB_GIT_USERNAME``/``GSB_GIT_PASSWORD``), and it is scoped by git to the
configured server's ``scheme://host:port`` and answers nothing if git asks for another
origin. Redirects are not followed at all (``http.followRedirects=false``), so a redirect
to another host fails the fetch instead of sending anything there. The user's and the
system's git configuration are ignored, so no other helper or URL rewrite takes part.

A long first fetch keeps the job's lease: ``heartbeat`` is called every few seconds while git
runs; when it answers ``False`` the fetch is stopped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["GitCliError", "available", "fetch"]

#: seconds between two heartbeats while git runs
HEARTBEAT_SECONDS = 5.0

# Prints the credentials from the environment for ``get`` only, and only when git asks for
# the origin it was configured for (git passes protocol and host, with the port, on stdin).
_HELPER = (
    '!f() { test "$1" = get || exit 0; p=; h=; '
    'while IFS= read -r l && test -n "$l"; do case "$l" in '
    'protocol=*) p="${l#protocol=}";; host=*) h="${l#host=}";; esac; done; '
    'test "$p://$h" = "$GSB_GIT_ORIGIN" || exit 0; '
    'printf "username=%s\\npassword=%s\\n" "$GSB_GIT_USERNAME" "$GSB_GIT_PASSWORD"; }; f'
)


class GitCliError(Exception):
    """git failed; the message holds git's last lines of error output (scrub before use)."""


def available() -> bool:
    """Whether a ``git`` program is on the PATH."""
    return shutil.which("git") is not None


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` as git names it in credential requests."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def fetch(
    git_dir: Path,
    url: str,
    refs: Sequence[str],
    *,
    username: str | None,
    password: str | None,
    depth: int | None = None,
    deepen: int | None = None,
    stall_seconds: float = 60.0,
    heartbeat: Callable[[], bool] | None = None,
) -> None:
    """Fetch ``+ref:ref`` for each of ``refs`` from ``url`` into the bare ``git_dir``."""
    origin = origin_of(url)
    config = {
        "protocol.version": "2",
        "http.followRedirects": "false",
        "credential.helper": "",
        "core.askPass": "",
        "fetch.writeCommitGraph": "false",
        "gc.auto": "0",
        "http.lowSpeedLimit": "1",
        "http.lowSpeedTime": str(max(1, int(stall_seconds))),
    }
    args = ["git"]
    for key, value in config.items():
        args += ["-c", f"{key}={value}"]
    if username is not None and password is not None:
        args += ["-c", f"credential.{origin}.helper={_HELPER}"]
    args += ["--git-dir", str(git_dir), "fetch", "--quiet", "--no-tags", "--no-write-fetch-head"]
    if depth is not None:
        args.append(f"--depth={depth}")
    elif deepen is not None:
        args.append(f"--deepen={deepen}" if deepen > 0 else "--unshallow")
    args += [url, *(f"+{r}:{r}" for r in refs)]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(git_dir),  # no ~/.gitconfig of the operator's
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "LC_ALL": "C",
    }
    if username is not None and password is not None:
        env.update(
            {"GSB_GIT_USERNAME": username, "GSB_GIT_PASSWORD": password, "GSB_GIT_ORIGIN": origin}
        )
    proc = subprocess.Popen(
        args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    next_beat = time.monotonic() + HEARTBEAT_SECONDS
    try:
        while True:
            try:
                _, err = proc.communicate(timeout=max(0.05, next_beat - time.monotonic()))
                break
            except subprocess.TimeoutExpired:
                next_beat = time.monotonic() + HEARTBEAT_SECONDS
                if heartbeat is not None and not heartbeat():
                    proc.kill()
                    proc.communicate()
                    lost = "stopped: the job's lease was lost during the fetch"
                    raise GitCliError(lost) from None
    finally:
        if proc.poll() is None:  # pragma: no cover - an exception above
            proc.kill()
            proc.wait()
    if proc.returncode != 0:
        lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
        raise GitCliError(" / ".join(lines[-3:]) or f"git fetch exited with {proc.returncode}")
