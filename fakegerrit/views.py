"""JSON shapes of Gerrit entities (ChangeInfo, RevisionInfo, FileInfo, ...)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from .gitstore import MAGIC_COMMIT_MSG, FileDelta
from .model import LABELS, Account, Change, ChangeMessage, Comment, PatchSet, State
from .timefmt import format_ts

LIST_CHANGES_OPTIONS = frozenset({
    "LABELS", "DETAILED_LABELS", "SUBMIT_REQUIREMENTS", "CURRENT_REVISION", "ALL_REVISIONS",
    "DOWNLOAD_COMMANDS", "CURRENT_COMMIT", "ALL_COMMITS", "CURRENT_FILES", "ALL_FILES",
    "DETAILED_ACCOUNTS", "REVIEWER_UPDATES", "MESSAGES", "CURRENT_ACTIONS", "CHANGE_ACTIONS",
    "REVIEWED", "SKIP_DIFFSTAT", "SUBMITTABLE", "WEB_LINKS", "CHECK", "COMMIT_FOOTERS",
    "PUSH_CERTIFICATES", "TRACKING_IDS", "CUSTOM_KEYED_VALUES", "STAR", "PARENTS",
    "SKIP_MERGEABLE", "DRAFT_COMMENTS", "NO_LIMIT",
})  # fmt: skip
# Bit positions of ListChangesOption (its enum values), for ``O=<hex>``.
OPTION_BITS = {
    0: "LABELS", 8: "DETAILED_LABELS", 1: "CURRENT_REVISION", 2: "ALL_REVISIONS",
    3: "CURRENT_COMMIT", 4: "ALL_COMMITS", 5: "CURRENT_FILES", 6: "ALL_FILES",
    7: "DETAILED_ACCOUNTS", 9: "MESSAGES", 10: "CURRENT_ACTIONS", 11: "REVIEWED",
    12: "DRAFT_COMMENTS", 13: "DOWNLOAD_COMMANDS", 14: "WEB_LINKS", 15: "CHECK",
    16: "CHANGE_ACTIONS", 17: "COMMIT_FOOTERS", 18: "PUSH_CERTIFICATES", 19: "REVIEWER_UPDATES",
    20: "SUBMITTABLE", 21: "TRACKING_IDS", 22: "SKIP_MERGEABLE", 23: "SKIP_DIFFSTAT",
    24: "SUBMIT_REQUIREMENTS", 25: "CUSTOM_KEYED_VALUES", 26: "STAR", 27: "PARENTS",
}  # fmt: skip


def parse_version(version: str) -> tuple[int, int]:
    m = re.match(r"(\d+)\.(\d+)", version)
    return (int(m.group(1)), int(m.group(2))) if m else (3, 13)


def vote_str(value: int) -> str:
    return f"+{value}" if value > 0 else (" 0" if value == 0 else str(value))


class Views:
    """Builds entity JSON for one caller (anonymous or an account)."""

    def __init__(self, state: State, url: str, version: str, caller: Account | None) -> None:
        self.state = state
        self.url = url
        self.version = parse_version(version)
        self.caller = caller

    def at_least(self, major: int, minor: int) -> bool:
        return self.version >= (major, minor)

    # ------------------------------------------------------------- accounts

    def account(self, account_id: int | None, detailed: bool = True) -> dict[str, Any]:
        if account_id is None:
            return {}
        if not detailed:
            return {"_account_id": account_id}
        acc = self.state.accounts[account_id]
        return {
            "_account_id": acc.account_id,
            "name": acc.name,
            "email": acc.email,
            "username": acc.username,
        }

    # --------------------------------------------------------------- files

    def file_deltas(
        self, ch: Change, ps: PatchSet, base: PatchSet | None = None
    ) -> list[FileDelta]:
        old = base.sha if base is not None else ps.parent
        if base is None:
            # A merge is compared with its auto-merge by default, as in Gerrit.
            old = self.state.git.auto_merge(ch.project, ps.sha) or old
        return self.state.git.diff(ch.project, old, ps.sha)

    def modified_paths(self, ch: Change, ps: PatchSet) -> list[str]:
        return [d.path for d in self.file_deltas(ch, ps)]

    def file_info(self, d: FileDelta) -> dict[str, Any]:
        info: dict[str, Any] = {}
        if d.status != "M":
            info["status"] = d.status
        if d.binary:
            info["binary"] = True
        if d.old_path:
            info["old_path"] = d.old_path
        if d.lines_inserted and not d.binary:
            info["lines_inserted"] = d.lines_inserted
        if d.lines_deleted and not d.binary:
            info["lines_deleted"] = d.lines_deleted
        info["size_delta"] = d.new_size - d.old_size
        info["size"] = d.new_size
        if self.at_least(3, 10):
            if d.old_mode is not None:
                info["old_mode"] = int(oct(d.old_mode)[2:])
            if d.new_mode is not None:
                info["new_mode"] = int(oct(d.new_mode)[2:])
        if self.at_least(3, 11):
            if d.old_oid is not None:
                info["old_sha"] = d.old_oid
            if d.new_oid is not None:
                info["new_sha"] = d.new_oid
        return info

    def commit_msg_info(self, ch: Change, ps: PatchSet, base: PatchSet | None) -> dict[str, Any]:
        new = self.state.git.commit_msg_file(ch.project, ps.sha)
        old = self.state.git.commit_msg_file(ch.project, base.sha) if base else ""
        new_lines, old_lines = new.splitlines(), old.splitlines()
        info: dict[str, Any] = {}
        if base is None:
            info["status"] = "A"
            ins, dels = len(new_lines), 0
        else:
            import difflib

            ins = dels = 0
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
                None, old_lines, new_lines, autojunk=False
            ).get_opcodes():
                if tag != "equal":
                    dels += i2 - i1
                    ins += j2 - j1
        if ins:
            info["lines_inserted"] = ins
        if dels:
            info["lines_deleted"] = dels
        size, old_size = len(new.encode()), len(old.encode())
        info["size_delta"] = size - old_size
        info["size"] = size
        return info

    def files_map(
        self, ch: Change, ps: PatchSet, *, base: PatchSet | None = None, magic: bool = True
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if magic:
            out[MAGIC_COMMIT_MSG] = self.commit_msg_info(ch, ps, base)
        for d in self.file_deltas(ch, ps, base):
            out[d.path] = self.file_info(d)
        return dict(sorted(out.items()))

    # --------------------------------------------------------------- commits

    def commit_info(self, ch: Change, ps: PatchSet, with_sha: bool) -> dict[str, Any]:
        commit = self.state.git.commit_obj(ch.project, ps.sha)

        def person(sig: Any) -> dict[str, Any]:
            when = datetime.fromtimestamp(sig.time, UTC)
            return {"name": sig.name, "email": sig.email, "date": format_ts(when), "tz": sig.offset}

        info: dict[str, Any] = {}
        if with_sha:
            info["commit"] = ps.sha
        info["parents"] = [
            {"commit": str(p.id), "subject": p.message.split("\n", 1)[0]} for p in commit.parents
        ]
        info["author"] = person(commit.author)
        info["committer"] = person(commit.committer)
        info["subject"] = commit.message.split("\n", 1)[0]
        info["message"] = commit.message
        return info

    # ------------------------------------------------------------- revisions

    def revision_info(
        self, ch: Change, ps: PatchSet, opts: frozenset[str] | set[str], *, is_current: bool
    ) -> dict[str, Any]:
        detailed = "DETAILED_ACCOUNTS" in opts
        info: dict[str, Any] = {
            "kind": ps.kind,
            "_number": ps.number,
            "created": format_ts(ps.created),
            "uploader": self.account(ps.uploader, detailed),
            "ref": ps.ref,
            "fetch": self.fetch_info(ch, ps, "DOWNLOAD_COMMANDS" in opts),
        }
        if "ALL_COMMITS" in opts or ("CURRENT_COMMIT" in opts and is_current):
            info["commit"] = self.commit_info(ch, ps, with_sha=False)
        info["branch"] = ch.full_branch
        if "ALL_FILES" in opts or ("CURRENT_FILES" in opts and is_current):
            info["files"] = self.files_map(ch, ps, magic=False)
        return info

    def fetch_info(self, ch: Change, ps: PatchSet, commands: bool) -> dict[str, Any]:
        schemes = {"anonymous http": f"{self.url}/{ch.project}"}
        if self.caller is not None:
            schemes["http"] = f"{self.url}/a/{ch.project}"
        out: dict[str, Any] = {}
        for scheme, url in schemes.items():
            entry: dict[str, Any] = {"url": url, "ref": ps.ref}
            if commands:
                fetch = f'git fetch "{url}" {ps.ref}'
                entry["commands"] = {
                    "Checkout": f"{fetch} && git checkout FETCH_HEAD",
                    "Cherry-Pick": f"{fetch} && git cherry-pick FETCH_HEAD",
                    "Format-Patch": f"{fetch} && git format-patch -1 --stdout FETCH_HEAD",
                    "Pull": f'git pull "{url}" {ps.ref}',
                }
            out[scheme] = entry
        return out

    # -------------------------------------------------------------- messages

    def message_info(self, msg: ChangeMessage, detailed: bool = True) -> dict[str, Any]:
        info: dict[str, Any] = {"id": msg.id}
        if msg.tag:
            info["tag"] = msg.tag
        if msg.author is not None:
            info["author"] = self.account(msg.author, detailed)
        info["date"] = format_ts(msg.date)
        info["message"] = msg.message
        info["accounts_in_message"] = [self.account(a, detailed) for a in msg.accounts_in_message]
        if msg.revision_number is not None:
            info["_revision_number"] = msg.revision_number
        return info

    def comment_info(self, c: Comment, with_path: bool = False) -> dict[str, Any]:
        info: dict[str, Any] = {"patch_set": c.patch_set, "id": c.id}
        if with_path:
            info["path"] = c.path
        if c.side == "PARENT":
            info["side"] = "PARENT"
            if c.parent is not None:
                info["parent"] = c.parent
        if c.line is not None:
            info["line"] = c.line
        if c.range is not None:
            info["range"] = dict(c.range)
        if c.in_reply_to:
            info["in_reply_to"] = c.in_reply_to
        info["updated"] = format_ts(c.updated)
        info["message"] = c.message
        info["unresolved"] = c.unresolved
        info["author"] = self.account(c.author, True)
        if c.tag:
            info["tag"] = c.tag
        if c.change_message_id:
            info["change_message_id"] = c.change_message_id
        info["commit_id"] = c.commit_id
        if c.fix_suggestions:
            info["fix_suggestions"] = [dict(s) for s in c.fix_suggestions]
        return info

    def comments_map(self, ch: Change) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[Comment]] = {}
        for c in ch.comments:
            out.setdefault(c.path, []).append(c)
        return {
            path: [
                self.comment_info(c)
                for c in sorted(
                    items, key=lambda c: (c.patch_set, c.side != "PARENT", c.line or 0, c.updated)
                )
            ]
            for path, items in sorted(out.items())
        }

    # ---------------------------------------------------------------- labels

    def labels(self, ch: Change, detailed_labels: bool, detailed: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for label, values in LABELS.items():
            votes = ch.votes.get(label, {})
            info: dict[str, Any] = {}
            nonzero = {a: v for a, v in votes.items() if v}
            if nonzero:
                lo, hi = min(values), max(values)
                for acc, v in nonzero.items():
                    key = (
                        "approved" if v == hi and v > 0 else
                        "rejected" if v == lo and v < 0 else
                        "recommended" if v > 0 else "disliked"
                    )  # fmt: skip
                    info.setdefault(key, self.account(acc, detailed))
                if label == "Code-Review" or len(nonzero) == 1:
                    info["value"] = max(nonzero.values(), key=abs)
            if detailed_labels:
                info["all"] = [
                    {"value": v, **self.account(a, detailed)} for a, v in sorted(votes.items())
                ]
                info["values"] = {
                    vote_str(v): ("No score" if v == 0 else f"{label} {vote_str(v)}")
                    for v in values
                }
                info["default_value"] = 0
            out[label] = info
        return out

    def submit_records(self, ch: Change) -> list[dict[str, Any]]:
        if ch.status != "NEW":
            status = "CLOSED"
        labels: list[dict[str, Any]] = []
        for label in LABELS:
            votes = ch.votes.get(label, {})
            top = max(LABELS[label])
            bottom = min(LABELS[label])
            if any(v == bottom for v in votes.values()):
                labels.append({"label": label, "status": "REJECT"})
            elif any(v == top for v in votes.values()):
                acc = next(a for a, v in votes.items() if v == top)
                labels.append({"label": label, "status": "OK", "applied_by": {"_account_id": acc}})
            else:
                labels.append({"label": label, "status": "NEED"})
        if ch.status == "NEW":
            status = "OK" if all(lab["status"] == "OK" for lab in labels) else "NOT_READY"
        return [{"rule_name": "gerrit~DefaultSubmitRule", "status": status, "labels": labels}]

    # ----------------------------------------------------------------- change

    def change_info(
        self,
        ch: Change,
        opts: frozenset[str] | set[str],
        *,
        more: bool = False,
        only: PatchSet | None = None,
    ) -> dict[str, Any]:
        """A ChangeInfo; its keys come in Gerrit's order, so it is built in parts, in order."""
        detailed = "DETAILED_ACCOUNTS" in opts
        info = self._change_head(ch, opts, detailed)
        if "LABELS" in opts or "DETAILED_LABELS" in opts:
            info["labels"] = self.labels(ch, "DETAILED_LABELS" in opts, detailed)
        if "DETAILED_LABELS" in opts:
            info.update(self._change_reviewers(ch, detailed))
        if "REVIEWER_UPDATES" in opts:
            info["reviewer_updates"] = []
        if "MESSAGES" in opts:
            info["messages"] = [self.message_info(m, detailed) for m in ch.messages]
        info["requirements"] = []
        info["submit_records"] = self.submit_records(ch)
        if "SUBMIT_REQUIREMENTS" in opts:
            info["submit_requirements"] = []
        if "SUBMITTABLE" in opts:
            info["submittable"] = (
                ch.status == "NEW" and self.submit_records(ch)[0]["status"] == "OK"
            )
        if "STAR" in opts and self.caller is not None:
            info["starred"] = False
        if self.at_least(3, 10):
            info["current_revision_number"] = ch.current.number
        if only is not None and "ALL_REVISIONS" not in opts:
            # GET .../revisions/X/review: that revision alone (ChangeJson's limitToPsId);
            # current_revision only when it is the current one.
            if only is ch.current:
                info["current_revision"] = ch.current.sha
            info["revisions"] = {
                only.sha: self.revision_info(ch, only, opts, is_current=only is ch.current)
            }
        elif "CURRENT_REVISION" in opts or "ALL_REVISIONS" in opts:
            info["current_revision"] = ch.current.sha
            shown = ch.patchsets if "ALL_REVISIONS" in opts else [ch.current]
            info["revisions"] = {
                ps.sha: self.revision_info(ch, ps, opts, is_current=ps is ch.current)
                for ps in shown
            }
        if more:
            info["_more_changes"] = True
        return info

    def _change_head(
        self, ch: Change, opts: frozenset[str] | set[str], detailed: bool
    ) -> dict[str, Any]:
        """ChangeInfo from ``id`` to ``owner``: what every ChangeInfo holds."""
        project_enc = quote(ch.project, safe="")
        info: dict[str, Any] = {
            "id": f"{project_enc}~{ch.number}",
            "triplet_id": f"{project_enc}~{quote(ch.branch, safe='')}~{ch.change_id}",
            "project": ch.project,
            "branch": ch.branch,
        }
        if self.at_least(3, 13):
            info["full_branch"] = ch.full_branch
        if ch.topic:
            info["topic"] = ch.topic
        if ch.attention:
            info["attention_set"] = {
                str(acc): {
                    "account": self.account(acc, detailed),
                    "last_update": format_ts(when),
                    "reason": reason,
                }
                for acc, (when, reason) in sorted(ch.attention.items())
            }
        info["hashtags"] = sorted(ch.hashtags)
        info["change_id"] = ch.change_id
        info["subject"] = self.state.git.commit_obj(ch.project, ch.current.sha).message.split(
            "\n", 1
        )[0]
        info["status"] = ch.status
        info["created"] = format_ts(ch.created)
        info["updated"] = format_ts(ch.updated)
        if ch.status == "MERGED" and ch.submitted is not None:
            info["submitted"] = format_ts(ch.submitted)
            info["submitter"] = self.account(ch.submitter, detailed)
        if ch.status == "NEW":
            info["submit_type"] = "MERGE_IF_NECESSARY"
        if "SKIP_DIFFSTAT" not in opts:
            deltas = self.file_deltas(ch, ch.current)
            info["insertions"] = sum(d.lines_inserted for d in deltas)
            info["deletions"] = sum(d.lines_deleted for d in deltas)
        info["total_comment_count"] = len(ch.comments)
        info["unresolved_comment_count"] = self._unresolved_count(ch)
        info["has_review_started"] = ch.review_started
        if ch.private:
            info["is_private"] = True
        if ch.wip:
            info["work_in_progress"] = True
        info["meta_rev_id"] = ch.meta_rev_id
        info["_number"] = ch.number
        if self.at_least(3, 10):
            info["virtual_id_number"] = ch.number
        info["owner"] = self.account(ch.owner, detailed)
        return info

    def _change_reviewers(self, ch: Change, detailed: bool) -> dict[str, Any]:
        """The DETAILED_LABELS parts: permitted labels and the reviewers by state."""
        permitted = (
            {label: [vote_str(v) for v in values] for label, values in LABELS.items()}
            if ch.status == "NEW"
            else {}
        )
        reviewers: dict[str, list[dict[str, Any]]] = {}
        for acc, state in ch.reviewers.items():
            reviewers.setdefault(state, []).append(self.account(acc, detailed))
        return {
            "permitted_labels": permitted,
            "removable_reviewers": [],
            "reviewers": reviewers,
            "pending_reviewers": {},
        }

    @staticmethod
    def _unresolved_count(ch: Change) -> int:
        replied = {c.in_reply_to for c in ch.comments if c.in_reply_to}
        # A thread is unresolved when its newest comment is unresolved.
        leaves = [c for c in ch.comments if c.id not in replied]
        return sum(1 for leaf in leaves if leaf.unresolved)
