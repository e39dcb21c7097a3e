"""Smart-HTTP git serving through ``git http-backend`` run as a CGI program."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

_GIT_PATH = re.compile(r"/(info/refs|git-upload-pack|git-receive-pack|HEAD|objects/.+)$")


def is_git_path(path: str) -> bool:
    return _GIT_PATH.search(path) is not None


def _backend() -> str:
    exec_path = subprocess.run(
        ["git", "--exec-path"], check=True, capture_output=True, text=True
    ).stdout.strip()
    return os.path.join(exec_path, "git-http-backend")


class GitHttpBackend:
    def __init__(self, project_root: Path) -> None:
        self.project_root = project_root
        self.program = _backend()

    def run(
        self,
        *,
        method: str,
        path_info: str,
        query_string: str,
        headers: dict[str, str],
        body: bytes,
        remote_user: str | None,
        remote_addr: str,
        direct_pushers: frozenset[str] = frozenset(),
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        # Read by the pre-receive hook: who may update a branch or tag without a review.
        env["FAKEGERRIT_DIRECT_PUSH"] = " ".join(sorted(direct_pushers))
        env.update(
            {
                "GIT_PROJECT_ROOT": str(self.project_root),
                "GIT_HTTP_EXPORT_ALL": "1",
                "GATEWAY_INTERFACE": "CGI/1.1",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REQUEST_METHOD": method,
                "PATH_INFO": path_info,
                "QUERY_STRING": query_string,
                "CONTENT_TYPE": headers.get("Content-Type") or "",
                "CONTENT_LENGTH": str(len(body)),
                "REMOTE_ADDR": remote_addr,
            }
        )
        if remote_user:
            env["REMOTE_USER"] = remote_user
        encoding = headers.get("Content-Encoding")
        if encoding:
            env["HTTP_CONTENT_ENCODING"] = encoding
        protocol = headers.get("Git-Protocol")
        if protocol:
            env["GIT_PROTOCOL"] = protocol
            env["HTTP_GIT_PROTOCOL"] = protocol
        proc = subprocess.run(
            [self.program], input=body, capture_output=True, env=env, check=False, timeout=120
        )
        out = proc.stdout
        sep = out.find(b"\r\n\r\n")
        sep_len = 4
        alt = out.find(b"\n\n")
        if sep < 0 or (0 <= alt < sep):
            sep, sep_len = alt, 2
        if sep < 0:
            message = proc.stderr.decode("utf-8", errors="replace") or "git http-backend failed"
            return 500, [("Content-Type", "text/plain; charset=UTF-8")], message.encode() + b"\n"
        head, payload = out[:sep], out[sep + sep_len :]
        status = 200
        response_headers: list[tuple[str, str]] = []
        for line in head.decode("latin-1").splitlines():
            if not line.strip() or ":" not in line:
                continue
            name, value = line.split(":", 1)
            value = value.strip()
            if name.lower() == "status":
                status = int(value.split()[0])
            else:
                response_headers.append((name, value))
        if not any(k.lower() == "content-type" for k, _ in response_headers):
            response_headers.append(("Content-Type", "text/plain; charset=UTF-8"))
        return status, response_headers, payload
