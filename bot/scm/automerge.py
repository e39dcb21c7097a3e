"""The auto-merge of a two-parent commit, the base Gerrit diffs a merge patch set against.

Gerrit shows (and validates inline-comment paths against) a merge commit's diff to its
*auto-merge*: the tree git would produce by merging the two parents, conflicting files
written with their conflict markers (``AutoMerger`` in Gerrit's server code). Diffing a
merge against its first parent instead lists every file the merged branch brought in, and
Gerrit rejects comments on those with 400. Commits with more than two parents have no
auto-merge; Gerrit compares them with their first parent.
"""

from __future__ import annotations

import pygit2

__all__ = ["auto_merge_tree"]


def auto_merge_tree(repo: pygit2.Repository, commit: pygit2.Commit) -> pygit2.Tree | None:
    """The auto-merge tree of ``commit``; ``None`` when it has not exactly two parents or the
    parents' merge base is not in the repository."""
    if len(commit.parent_ids) != 2:
        return None
    ours, theirs = commit.parent_ids
    try:
        if repo.merge_base(ours, theirs) is None:
            # No common ancestor here (e.g. beyond a shallow mirror's boundary): a merge
            # would conflict everywhere; the caller falls back to the first parent.
            return None
        index = repo.merge_commits(ours, theirs)
    except (pygit2.GitError, KeyError, ValueError):
        return None
    conflicts = index.conflicts
    if conflicts is not None:
        for ancestor, our, their in list(conflicts):
            entry = our or their or ancestor
            assert entry is not None
            path = entry.path
            del conflicts[path]
            if our is not None and their is not None:
                merged = repo.merge_file_from_index(ancestor, our, their)
                text = merged if isinstance(merged, str) else merged.contents
                blob = repo.create_blob(text.encode("utf-8", "surrogateescape"))
                index.add(pygit2.IndexEntry(path, blob, our.mode))
            elif our is not None or their is not None:
                kept = our or their
                assert kept is not None
                index.add(pygit2.IndexEntry(kept.path, kept.id, kept.mode))
    tree = repo[index.write_tree(repo)]
    assert isinstance(tree, pygit2.Tree)
    return tree
