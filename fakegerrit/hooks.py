"""``GET /tools/hooks/commit-msg``: the hook that gives each commit a ``Change-Id`` footer.

Gerrit serves its ``commit-msg`` hook at this path, anonymously; ``git review -s`` downloads
it from an HTTP remote, and a push to ``refs/for/<branch>`` without the footer is refused.
The fake's hook is its own small POSIX shell script with the same effect: a commit message
without a ``Change-Id: I<40 hex>`` line gets one, derived from the commit's identities,
tree, message and the time, so every new commit gets a new id and an amended one keeps its.
"""

from __future__ import annotations

COMMIT_MSG_PATH = "/tools/hooks/commit-msg"

COMMIT_MSG_HOOK = """#!/bin/sh
# Adds a Change-Id footer to the commit message in "$1" unless it has one.
msg="$1"
if grep -q '^Change-Id: I[0-9a-f]\\{40\\} *$' "$msg"; then
  exit 0
fi
# Nothing but comments and blank lines: git aborts the commit anyway.
if ! sed -e '/^#/d' -e '/^[[:space:]]*$/d' "$msg" | grep -q .; then
  exit 0
fi
id=$( {
  git var GIT_COMMITTER_IDENT
  git var GIT_AUTHOR_IDENT
  git write-tree 2>/dev/null
  cat "$msg"
  date +%s
  echo "$$"
} | git hash-object --stdin )
printf '\\nChange-Id: I%s\\n' "$id" >> "$msg"
"""

__all__ = ["COMMIT_MSG_HOOK", "COMMIT_MSG_PATH"]
