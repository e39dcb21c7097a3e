"""In-memory state of the fake Gerrit: accounts, projects, changes, messages, comments."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .gitstore import MAGIC_PATCHSET_LEVEL, FileChanges, GitStore, compute_kind, signature

FIRST_ACCOUNT_ID = 1000000
KINDS = (
    "REWORK",
    "TRIVIAL_REBASE",
    "TRIVIAL_REBASE_WITH_MESSAGE_UPDATE",
    "MERGE_FIRST_PARENT_UPDATE",
    "NO_CODE_CHANGE",
    "NO_CHANGE",
)
LABELS: dict[str, tuple[int, ...]] = {"Code-Review": (-2, -1, 0, 1, 2), "Verified": (-1, 0, 1)}


@dataclass
class Account:
    account_id: int
    username: str
    name: str
    email: str
    password: str | None = None
    groups: list[str] = field(default_factory=list)  # names of the groups it belongs to


@dataclass
class PatchSet:
    number: int
    sha: str
    parent: str | None
    kind: str
    created: datetime
    uploader: int
    ref: str


@dataclass
class ChangeMessage:
    id: str
    author: int | None
    date: datetime
    message: str
    tag: str | None
    revision_number: int | None
    accounts_in_message: list[int] = field(default_factory=list)


@dataclass
class Comment:
    id: str
    path: str
    patch_set: int
    commit_id: str
    message: str
    updated: datetime
    author: int
    unresolved: bool
    line: int | None = None
    range: dict[str, int] | None = None
    side: str | None = None
    parent: int | None = None
    in_reply_to: str | None = None
    tag: str | None = None
    change_message_id: str | None = None
    fix_suggestions: list[dict[str, Any]] | None = None  # FixSuggestionInfos (fixes.py)


@dataclass
class Change:
    number: int
    project: str
    branch: str  # short name
    change_id: str
    owner: int
    created: datetime
    updated: datetime
    status: str = "NEW"
    topic: str | None = None
    hashtags: list[str] = field(default_factory=list)
    wip: bool = False
    private: bool = False
    review_started: bool = True
    patchsets: list[PatchSet] = field(default_factory=list)
    messages: list[ChangeMessage] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    reviewers: dict[int, str] = field(default_factory=dict)  # account id -> REVIEWER | CC
    votes: dict[str, dict[int, int]] = field(default_factory=dict)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    # the attention set: account id -> (last update, reason)
    attention: dict[int, tuple[datetime, str]] = field(default_factory=dict)
    submitted: datetime | None = None
    submitter: int | None = None
    meta_counter: int = 0

    @property
    def current(self) -> PatchSet:
        return self.patchsets[-1]

    @property
    def full_branch(self) -> str:
        return f"refs/heads/{self.branch}"

    def patchset(self, number: int) -> PatchSet:
        for ps in self.patchsets:
            if ps.number == number:
                return ps
        raise KeyError(number)

    @property
    def meta_rev_id(self) -> str:
        return hashlib.sha1(f"meta-{self.number}-{self.meta_counter}".encode()).hexdigest()


def change_ref(number: int, patchset: int) -> str:
    return f"refs/changes/{number % 100:02d}/{number}/{patchset}"


def group_visible(state: State, name: str, caller: Account | None) -> bool:
    """Whether ``caller`` may see group ``name``: Gerrit hides the others (404, filtered)."""
    return name in state.visible_groups or (caller is not None and name in caller.groups)


def group_uuid(name: str) -> str:
    """A stable 40-hex group UUID derived from the name, as Gerrit's are opaque hex."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()


class NotFound(KeyError):
    pass


class State:
    """All mutable state; every method takes ``self.lock``."""

    def __init__(self, root: Path, clock: Callable[[], datetime]) -> None:
        self.lock = threading.RLock()
        self.git = GitStore(root / "git")
        self.clock = clock
        self.accounts: dict[int, Account] = {}
        self.projects: dict[str, str] = {}  # name -> default branch
        self.changes: dict[int, Change] = {}
        # groups with "visible to all registered users"; any other group is visible only
        # to its members (GroupControl.isVisible, without owner groups and administrators)
        self.visible_groups: set[str] = set()
        self._next_account = FIRST_ACCOUNT_ID
        self._next_change = 1
        self._id_counter = 0

    # ------------------------------------------------------------ utilities

    def now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        return now.astimezone(UTC)

    def new_id(self, kind: str) -> str:
        with self.lock:
            self._id_counter += 1
            digest = hashlib.sha1(f"{kind}-{self._id_counter}".encode()).hexdigest()
        if kind == "comment":
            return f"{digest[:8]}_{digest[8:12]}"
        return digest

    def touch(self, change: Change, when: datetime | None = None) -> datetime:
        when = when or self.now()
        change.updated = max(when, change.updated)
        change.meta_counter += 1
        return when

    # -------------------------------------------------------------- accounts

    def add_account(
        self, username: str, name: str | None, email: str | None, password: str | None
    ) -> int:
        with self.lock:
            if self.find_account_exact(username) is not None:
                raise ValueError(f"account {username} exists")
            account_id = self._next_account
            self._next_account += 1
            self.accounts[account_id] = Account(
                account_id, username, name or username, email or f"{username}@example.com", password
            )
            return account_id

    def find_account_exact(self, username: str) -> Account | None:
        for acc in self.accounts.values():
            if acc.username == username:
                return acc
        return None

    def ensure_account(self, username: str) -> Account:
        with self.lock:
            acc = self.find_account_exact(username)
            if acc is None:
                acc = self.accounts[self.add_account(username, None, None, None)]
            return acc

    def resolve_accounts(self, ident: str) -> list[Account]:
        """Accounts matching an id, username, email or full name (case-insensitive)."""
        ident = ident.strip()
        if ident.isdigit() and int(ident) in self.accounts:
            return [self.accounts[int(ident)]]
        m = re.match(r"^(.*)<([^>]+)>$", ident)
        if m:
            ident = m.group(2)
        low = ident.lower()
        return [
            a
            for a in self.accounts.values()
            if low in (a.username.lower(), a.email.lower(), a.name.lower())
        ]

    # -------------------------------------------------------------- projects

    def create_project(
        self, name: str, files: FileChanges, branch: str, message: str, author: Account
    ) -> str:
        with self.lock:
            if name in self.projects:
                raise ValueError(f"project {name} exists")
            self.git.init(name, branch)
            self.projects[name] = branch
            tree = self.git.tree_with_changes(name, None, files)
            sig = signature(author.name, author.email, self.now())
            sha = self.git.commit(name, tree, [], message.rstrip("\n") + "\n", sig, sig)
            self.git.set_ref(name, f"refs/heads/{branch}", sha)
            return sha

    def branch_head(self, project: str, branch: str) -> str | None:
        return self.git.ref_target(project, f"refs/heads/{branch}")

    def commit_to_branch(
        self, project: str, files: FileChanges, message: str, branch: str, author: Account
    ) -> str:
        with self.lock:
            if project not in self.projects:
                raise NotFound(project)
            head = self.branch_head(project, branch)
            tree = self.git.tree_with_changes(project, head, files)
            sig = signature(author.name, author.email, self.now())
            parents = [head] if head else []
            sha = self.git.commit(project, tree, parents, message.rstrip("\n") + "\n", sig, sig)
            self.git.set_ref(project, f"refs/heads/{branch}", sha)
            return sha

    # --------------------------------------------------------------- changes

    def change(self, number: int) -> Change:
        try:
            return self.changes[number]
        except KeyError:
            raise NotFound(str(number)) from None

    def create_change(
        self,
        project: str,
        files: FileChanges,
        subject: str,
        *,
        owner: str,
        branch: str,
        body: str,
        renames: dict[str, str] | None,
        wip: bool,
        private: bool,
        topic: str | None,
    ) -> int:
        with self.lock:
            if project not in self.projects:
                raise NotFound(project)
            acc = self.ensure_account(owner)
            head = self.branch_head(project, branch)
            if head is None:
                raise NotFound(f"branch {branch}")
            number = self._next_change
            self._next_change += 1
            now = self.now()
            change_id = (
                "I"
                + hashlib.sha1(
                    f"{project}\0{branch}\0{number}\0{subject}\0{now.isoformat()}".encode()
                ).hexdigest()
            )
            message = subject.strip()
            if body.strip():
                message += "\n\n" + body.strip()
            message += f"\n\nChange-Id: {change_id}\n"
            tree = self.git.tree_with_changes(project, head, files, renames)
            sig = signature(acc.name, acc.email, now)
            sha = self.git.commit(project, tree, [head], message, sig, sig)
            ref = change_ref(number, 1)
            self.git.set_ref(project, ref, sha)
            ch = Change(
                number=number,
                project=project,
                branch=branch,
                change_id=change_id,
                owner=acc.account_id,
                created=now,
                updated=now,
                topic=topic,
                wip=wip,
                private=private,
                review_started=not wip,
            )
            ch.patchsets.append(PatchSet(1, sha, head, "REWORK", now, acc.account_id, ref))
            self._add_message(
                ch,
                acc.account_id,
                "Uploaded patch set 1.",
                "autogenerated:gerrit:newWipPatchSet"
                if wip
                else "autogenerated:gerrit:newPatchSet",
                1,
                now,
            )
            self.changes[number] = ch
            return number

    def _add_message(
        self,
        ch: Change,
        author: int | None,
        text: str,
        tag: str | None,
        revision: int | None,
        when: datetime | None = None,
    ) -> ChangeMessage:
        when = when or self.now()
        msg = ChangeMessage(self.new_id("message"), author, when, text, tag, revision)
        ch.messages.append(msg)
        self.touch(ch, when)
        return msg

    def upload_patchset(
        self,
        number: int,
        files: FileChanges | None,
        *,
        kind: str,
        uploader: str | None,
        subject: str | None,
        renames: dict[str, str] | None,
    ) -> int:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind}")
        with self.lock:
            ch = self.change(number)
            prev = ch.current
            acc = self.ensure_account(uploader) if uploader else self.accounts[ch.owner]
            prev_commit = self.git.commit_obj(ch.project, prev.sha)
            old_message = prev_commit.message
            footer_at = old_message.rfind("\n\nChange-Id:")
            body_and_subject = old_message[:footer_at] if footer_at >= 0 else old_message
            footer = (
                old_message[footer_at:] if footer_at >= 0 else f"\n\nChange-Id: {ch.change_id}\n"
            )

            def with_subject(new_subject: str) -> str:
                rest = body_and_subject.partition("\n")[2]
                return new_subject.strip() + ("\n" + rest if rest else "") + footer

            parent = prev.parent
            if kind == "REWORK":
                tree = self.git.tree_with_changes(ch.project, prev.sha, files, renames)
                message = with_subject(subject) if subject else old_message
            elif kind in ("TRIVIAL_REBASE", "TRIVIAL_REBASE_WITH_MESSAGE_UPDATE"):
                head = self.branch_head(ch.project, ch.branch)
                parent = head
                # Re-apply the previous patch set's diff on the current branch head.
                changes: FileChanges = {}
                ren: dict[str, str] = {}
                for d in self.git.diff(ch.project, prev.parent, prev.sha):
                    if d.status == "D":
                        changes[d.path] = None
                    else:
                        if d.old_path:
                            ren[d.old_path] = d.path
                        changes[d.path] = self.git.blob_data(ch.project, d.new_oid)
                tree = self.git.tree_with_changes(ch.project, head, changes, ren)
                if kind == "TRIVIAL_REBASE_WITH_MESSAGE_UPDATE":
                    message = with_subject(
                        subject or f"{prev_commit.message.partition(chr(10))[0]} (updated)"
                    )
                else:
                    message = old_message
            elif kind == "NO_CODE_CHANGE":
                tree = prev_commit.tree_id
                message = with_subject(
                    subject or f"{prev_commit.message.partition(chr(10))[0]} (amended)"
                )
            else:  # NO_CHANGE, MERGE_FIRST_PARENT_UPDATE (treated as NO_CHANGE)
                tree = prev_commit.tree_id
                message = old_message
            now = self.now()
            author = prev_commit.author
            committer = signature(acc.name, acc.email, now)
            sha = self.git.commit(
                ch.project,
                tree,
                [parent] if parent else [],
                message,
                author,
                committer,
                avoid=prev.sha,
            )
            ps_number = prev.number + 1
            ref = change_ref(number, ps_number)
            self.git.set_ref(ch.project, ref, sha)
            # The kind is what the commits say (as Gerrit computes it), not what was asked.
            computed = compute_kind(self.git.repo(ch.project), prev.sha, sha)
            ch.patchsets.append(
                PatchSet(ps_number, sha, parent, computed, now, acc.account_id, ref)
            )
            tag = (
                "autogenerated:gerrit:newWipPatchSet"
                if ch.wip
                else "autogenerated:gerrit:newPatchSet"
            )
            self._add_message(
                ch, acc.account_id, f"Uploaded patch set {ps_number}.", tag, ps_number, now
            )
            return ps_number

    def set_status(self, number: int, status: str, actor: int | None = None) -> None:
        if status not in ("NEW", "MERGED", "ABANDONED"):
            raise ValueError(f"unknown status {status}")
        with self.lock:
            ch = self.change(number)
            if ch.status == status:
                return
            actor = actor if actor is not None else ch.owner
            ps = ch.current.number
            if status == "MERGED":
                head = self.branch_head(ch.project, ch.branch)
                if head == ch.current.parent:
                    self.git.set_ref(ch.project, ch.full_branch, ch.current.sha)
                ch.submitted = self.now()
                ch.submitter = actor
                name = self.accounts[actor].name
                self._add_message(
                    ch,
                    actor,
                    f"Change has been successfully merged by {name}",
                    "autogenerated:gerrit:merged",
                    ps,
                )
            elif status == "ABANDONED":
                self._add_message(ch, actor, "Abandoned", "autogenerated:gerrit:abandon", ps)
            else:
                self._add_message(ch, actor, "Restored", "autogenerated:gerrit:restore", ps)
            ch.status = status

    def set_wip(self, number: int, wip: bool, actor: int | None = None, text: str = "") -> None:
        with self.lock:
            ch = self.change(number)
            if ch.wip == wip:
                self.touch(ch)
                return
            ch.wip = wip
            if not wip:
                ch.review_started = True
            actor = actor if actor is not None else ch.owner
            head = "Set Work In Progress" if wip else "Set Ready For Review"
            tag = (
                "autogenerated:gerrit:setWorkInProgress"
                if wip
                else "autogenerated:gerrit:setReadyForReview"
            )
            msg = head + (f"\n\n{text.strip()}" if text.strip() else "")
            self._add_message(ch, actor, msg, tag, ch.current.number)

    def add_message(
        self, number: int, author: int, text: str, tag: str | None, patchset: int
    ) -> ChangeMessage:
        with self.lock:
            return self._add_message(self.change(number), author, text, tag, patchset)

    def add_comment(self, ch: Change, comment: Comment) -> None:
        ch.comments.append(comment)

    def new_comment_time(self) -> datetime:
        return self.now()


def default_clock() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """The default clock: real time until ``set``; then frozen and moved by ``advance``."""

    def __init__(self) -> None:
        self._fixed: datetime | None = None

    def __call__(self) -> datetime:
        return self._fixed if self._fixed is not None else datetime.now(UTC)

    def set(self, dt: datetime) -> None:
        self._fixed = (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC)

    def advance(self, seconds: float) -> None:
        base = self._fixed if self._fixed is not None else datetime.now(UTC)
        self._fixed = base + timedelta(seconds=seconds)


__all__ = [
    "KINDS",
    "LABELS",
    "MAGIC_PATCHSET_LEVEL",
    "Account",
    "Change",
    "ChangeMessage",
    "Comment",
    "ManualClock",
    "NotFound",
    "PatchSet",
    "State",
    "change_ref",
]
