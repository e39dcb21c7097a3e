"""The origin a git credentials request is compared by (scheme, host, port)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.scm.mirrors import Mirrors, origin_of


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Review.Example.org/a/nova", ("https", "review.example.org", 443)),
        ("https://review.example.org.:443/x", ("https", "review.example.org", 443)),
        ("http://review.example.org/x", ("http", "review.example.org", 80)),
        ("HTTP://127.0.0.1:8080", ("http", "127.0.0.1", 8080)),
        ("http://u:p@[::1]:29418/x", ("http", "::1", 29418)),
    ],
)
def test_origin_of(url: str, origin: tuple[str, str, int]) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize("url", ["", "review.example.org/x", "http://h:99999/", "http:///x"])
def test_no_origin(url: str) -> None:
    assert origin_of(url) is None


def test_other_port_scheme_or_host_is_another_origin() -> None:
    base = origin_of("https://review.example.org")
    for other in (
        "http://review.example.org",
        "https://review.example.org:8443",
        "https://review.example.org.evil.test",
    ):
        assert origin_of(other) != base


def test_gerrit_url_without_host_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="gerrit_url"):
        Mirrors(tmp_path, gerrit_url="not a url")
