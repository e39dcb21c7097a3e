"""A stranger at the dashboard (issue 17 #10, #11, #14), each attack over real HTTP (waitress).

* #10 the cookie-signing key is random, not derived from the admin token, and shared by
  restarts and by several processes;
* #11 ``X-Forwarded-*`` is believed from the trusted proxies only;
* #14 bearer guesses are throttled, failed logins delay rather than lock out (per client
  as seen through the trusted proxies), logout ends the session in the store, the
  ``Host`` header is checked, and a huge or malformed job id is a 404.

The real TLS-terminating proxy in front of the dashboard, with Chromium, is in
``tests/browser/test_dashboard_proxy.py``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot.config import Config, Secret
from bot.dashboard import DashboardServer, create_app, serve
from bot.dashboard import security as sec
from bot.dashboard.views import EXTENSION
from bot.store import Store
from tests.unit.test_dashboard import TOKEN, Filled, make_config

COOKIE = "security_bot_session"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'dash.db'}")
    yield s
    s.close()


def configured(tmp_path: Path, **dashboard: Any) -> Config:
    """The unit tests' configuration, with a generated key file under ``tmp_path``."""
    base = make_config()
    values: dict[str, Any] = {
        "secret_key": Secret(""),
        "secret_key_file": str(tmp_path / "state" / "dashboard-secret-key"),
    }
    values.update(dashboard)
    return base.replace(dashboard=dataclasses.replace(base.dashboard, **values))


@contextmanager
def served(store: Store, config: Config) -> Iterator[DashboardServer]:
    server = serve(create_app(store, config), "127.0.0.1", 0)
    try:
        yield server
    finally:
        server.stop()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def log_in(
    session: requests.Session, url: str, token: str = TOKEN, **headers: str
) -> requests.Response:
    page = session.get(f"{url}/login", headers=headers, timeout=10)
    return session.post(
        f"{url}/login",
        data={"csrf_token": csrf_of(page.text), "token": token, "name": "Olga", "next": "/"},
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )


def flask_serializer(key: bytes) -> URLSafeTimedSerializer:
    """How Flask signs its session cookie, with ``key``."""
    interface = SecureCookieSessionInterface()
    return URLSafeTimedSerializer(
        key,
        salt=interface.salt,
        serializer=interface.serializer,
        signer_kwargs={"key_derivation": interface.key_derivation, "digest_method": hashlib.sha1},
    )


def token_derived_key(token: str) -> bytes:
    """The key the dashboard used to derive from the admin token (the bug of #10)."""
    return hmac.new(
        token.encode("utf-8"), b"security-bot dashboard session v1", hashlib.sha256
    ).digest()


# -- #10 the cookie-signing key ---------------------------------------------------------------


def test_the_login_cookie_cannot_be_verified_with_a_key_derived_from_the_token(
    tmp_path: Path, store: Store
) -> None:
    config = configured(tmp_path)
    with served(store, config) as server:
        anonymous = requests.get(f"{server.url}/login", timeout=10)
    cookie = anonymous.cookies[COOKIE]
    # The attacker's offline check of a token guess: even the right token does not verify it.
    with pytest.raises(BadSignature):
        flask_serializer(token_derived_key(TOKEN)).loads(cookie)
    key_file = Path(config.dashboard.secret_key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 32 and TOKEN not in key
    assert "csrf" in flask_serializer(key.encode()).loads(cookie)  # it is the key in use


def test_a_configured_key_wins_and_a_short_one_is_refused(tmp_path: Path, store: Store) -> None:
    from bot.config import ConfigError, build_config

    chosen = "c" * 40
    config = configured(tmp_path, secret_key=Secret(chosen))
    with served(store, config) as server:
        cookie = requests.get(f"{server.url}/login", timeout=10).cookies[COOKIE]
    assert "csrf" in flask_serializer(chosen.encode()).loads(cookie)
    assert not Path(config.dashboard.secret_key_file).exists()  # nothing generated
    with pytest.raises(ConfigError, match="at least 32 characters"):
        build_config({}, env={"SECURITY_BOT_DASHBOARD_SECRET_KEY": "short"})
    with pytest.raises(ConfigError, match="secrets are not read from the configuration file"):
        build_config({"dashboard": {"secret_key": chosen}}, env={})


def _dashboard_process(config_file: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """``security-bot dashboard`` in its own process; returns it and its URL."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from bot.cli import main; sys.exit(main())",
            "--config",
            str(config_file),
            "dashboard",
            "--port",
            "0",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.match(r"dashboard: (http://\S+)", line)
    if not match:
        process.kill()
        raise AssertionError(f"the dashboard process did not start: {line!r}")
    return process, match.group(1)


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:  # pragma: no cover - it ignored SIGTERM
        process.kill()
        process.wait()


def test_two_processes_and_a_restart_share_one_generated_key_and_the_sessions(
    tmp_path: Path,
) -> None:
    key_file = tmp_path / "state" / "dashboard-secret-key"
    config_file = tmp_path / "bot.toml"
    config_file.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "bot.db"}"\n'
        f'[dashboard]\nsecret_key_file = "{key_file}"\n',
        encoding="utf-8",
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SECURITY_BOT_")},
        "SECURITY_BOT_ADMIN_TOKEN": TOKEN,
    }
    Store(f"sqlite:///{tmp_path / 'bot.db'}").close()  # migrated once, not raced
    first, first_url = _dashboard_process(config_file, env)
    second, second_url = _dashboard_process(config_file, env)
    try:
        browser = requests.Session()
        # The login form comes from the first process, the login goes to the second.
        page = browser.get(f"{first_url}/login", timeout=10)
        done = browser.post(
            f"{second_url}/login",
            data={"csrf_token": csrf_of(page.text), "token": TOKEN, "next": "/"},
            allow_redirects=False,
            timeout=10,
        )
        assert done.status_code == 303, done.text
        for url in (first_url, second_url):
            assert browser.get(f"{url}/api/overview", timeout=10).status_code == 200
    finally:
        _stop(first)
        _stop(second)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == [key_file.name]  # no leftovers
    restarted, restarted_url = _dashboard_process(config_file, env)
    try:
        again = browser.get(f"{restarted_url}/api/overview", timeout=10)
        assert again.status_code == 200  # the session survived the restart
    finally:
        _stop(restarted)


# -- #14 logout ends the session --------------------------------------------------------------


def test_logout_ends_the_session_for_every_process(tmp_path: Path, store: Store) -> None:
    Filled(store)
    config = configured(tmp_path)
    with served(store, config) as one, served(store, config) as two:
        browser = requests.Session()
        assert log_in(browser, one.url).status_code == 303
        old_cookie = browser.cookies[COOKIE]
        assert browser.get(f"{two.url}/api/changes", timeout=10).status_code == 200
        page = browser.get(f"{one.url}/", timeout=10)
        out = browser.post(
            f"{one.url}/logout",
            data={"csrf_token": csrf_of(page.text)},
            allow_redirects=False,
            timeout=10,
        )
        assert out.status_code == 303
        # The attacker kept the cookie from before the logout: neither process takes it.
        for url in (one.url, two.url):
            replay = requests.get(f"{url}/api/changes", cookies={COOKIE: old_cookie}, timeout=10)
            assert replay.status_code == 401, url
            page = requests.get(f"{url}/changes", cookies={COOKIE: old_cookie}, timeout=10)
            assert "/login" in page.url


def test_a_new_admin_token_ends_the_sessions_opened_with_the_old_one(
    tmp_path: Path, store: Store
) -> None:
    config = configured(tmp_path)
    with served(store, config) as server:
        browser = requests.Session()
        assert log_in(browser, server.url).status_code == 303
        assert browser.get(f"{server.url}/api/overview", timeout=10).status_code == 200
    rotated = config.replace(
        dashboard=dataclasses.replace(config.dashboard, admin_token=Secret("a-new-token-" * 3))
    )
    with served(store, rotated) as server:  # the restart after rotating a leaked token
        assert browser.get(f"{server.url}/api/overview", timeout=10).status_code == 401


# -- #14 throttling ---------------------------------------------------------------------------


def test_bearer_token_guesses_are_throttled_like_form_logins(tmp_path: Path, store: Store) -> None:
    with served(store, configured(tmp_path)) as server:
        url = f"{server.url}/api/overview"
        answers = [
            requests.get(url, headers={"Authorization": f"Bearer guess-{i}"}, timeout=10)
            for i in range(8)
        ]
        codes = [a.status_code for a in answers]
        assert codes[:5] == [401] * 5 and 429 in codes[5:], codes
        throttled = next(a for a in answers if a.status_code == 429)
        wait = int(throttled.headers["Retry-After"])
        assert 1 <= wait <= 60
        # While throttled, not even the right token is looked at (no guess is answered).
        right = {"Authorization": f"Bearer {TOKEN}"}
        assert requests.get(url, headers=right, timeout=10).status_code == 429
        time.sleep(wait + 0.2)
        assert requests.get(url, headers=right, timeout=10).status_code == 200
        # A success forgets the failures: the next mistake is a plain 401 again.
        assert (
            requests.get(url, headers={"Authorization": "Bearer x"}, timeout=10).status_code == 401
        )


def test_failed_logins_behind_a_trusted_proxy_do_not_lock_the_admin_out(
    tmp_path: Path, store: Store
) -> None:
    config = configured(tmp_path, trusted_proxies=("127.0.0.1",))
    with served(store, config) as server:
        attacker = requests.Session()
        codes = [
            log_in(
                attacker, server.url, token=f"guess-{i}", **{"X-Forwarded-For": "203.0.113.9"}
            ).status_code
            for i in range(10)
        ]
        assert codes[:5] == [401] * 5 and codes[-1] == 429, codes
        # Same proxy address, another client behind it: the admin logs in at once.
        admin = requests.Session()
        done = log_in(admin, server.url, **{"X-Forwarded-For": "198.51.100.7"})
        assert done.status_code == 303
        # The attacker cannot dodge the throttle by writing its own X-Forwarded-For: the
        # proxy appends the address it saw, and that one is the client.
        dodged = log_in(
            attacker, server.url, token="guess", **{"X-Forwarded-For": "10.9.9.9, 203.0.113.9"}
        )
        assert dodged.status_code == 429


def test_a_client_sharing_the_attackers_address_waits_at_most_the_cap(
    tmp_path: Path, store: Store
) -> None:
    """No lockout: however many failures, the right token gets through after the delay."""
    app = create_app(store, configured(tmp_path))
    short = sec.LoginThrottle(free=3, base=0.5, cap=1.0)
    app.extensions[EXTENSION] = dataclasses.replace(app.extensions[EXTENSION], throttle=short)
    server = serve(app, "127.0.0.1", 0)
    try:
        attacker = requests.Session()
        codes = []
        for i in range(30):
            codes.append(log_in(attacker, server.url, token=f"guess-{i}").status_code)
        assert codes.count(429) > 0 and codes.count(401) >= 3
        refused = log_in(requests.Session(), server.url)
        if refused.status_code == 429:
            assert int(refused.headers["Retry-After"]) <= 1
            assert "try again in" in refused.text
            time.sleep(1.1)
        assert log_in(requests.Session(), server.url).status_code == 303
    finally:
        server.stop()


def test_login_throttle_delays_grow_and_are_capped() -> None:
    throttle = sec.LoginThrottle()
    for i in range(5):
        assert throttle.wait("192.0.2.1", now=100.0 + i) == 0
        throttle.failed("192.0.2.1", now=100.0 + i)
    assert throttle.wait("192.0.2.1", now=104.0) == 1.0
    at = 104.0
    for _ in range(20):
        at += throttle.wait("192.0.2.1", now=at)
        throttle.failed("192.0.2.1", now=at)
    assert throttle.wait("192.0.2.1", now=at) == 60.0  # capped, never a lockout
    assert throttle.wait("192.0.2.2", now=at) == 0  # another client is not affected
    # IPv6 clients are throttled by their /64: rotating the interface id does not help.
    for i in range(5):
        throttle.failed(f"2001:db8:1:2::{i + 1:x}", now=at)
    assert throttle.wait("2001:db8:1:2::ffff", now=at) > 0
    assert throttle.wait("2001:db8:1:3::1", now=at) == 0
    throttle.succeeded("192.0.2.1")
    assert throttle.wait("192.0.2.1", now=at) == 0


# -- #11 X-Forwarded-* only from trusted proxies ----------------------------------------------

SPOOFED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-For": "192.0.2.66",
    "X-Forwarded-Port": "443",
}


@pytest.mark.parametrize("trusted", [(), ("10.0.0.0/8", "::1")])
def test_forwarded_headers_from_an_untrusted_address_are_ignored(
    tmp_path: Path, store: Store, trusted: tuple[str, ...], caplog: pytest.LogCaptureFixture
) -> None:
    with served(store, configured(tmp_path, trusted_proxies=trusted)) as server:
        browser = requests.Session()
        page = browser.get(f"{server.url}/login", headers=SPOOFED, timeout=10)
        assert page.status_code == 200  # the Host check saw the real Host, not evil.example
        assert "Strict-Transport-Security" not in page.headers
        with caplog.at_level("WARNING", logger="bot.dashboard"):
            failed = browser.post(
                f"{server.url}/login",
                data={"csrf_token": csrf_of(page.text), "token": "wrong", "next": "/"},
                headers=SPOOFED,
                timeout=10,
            )
        assert failed.status_code == 401
        assert "from 127.0.0.1" in caplog.text and "192.0.2.66" not in caplog.text
        done = log_in(browser, server.url, **SPOOFED)
        assert done.status_code == 303
        assert done.headers["Location"] == "/"  # not https://evil.example/
        cookie = next(c for c in browser.cookies if c.name == COOKIE)
        assert not cookie.secure  # plain HTTP really: no Secure cookie on a spoofed header


def test_a_trusted_proxy_gives_the_scheme_host_and_client(
    tmp_path: Path, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    config = configured(
        tmp_path, trusted_proxies=("127.0.0.0/8",), allowed_hosts=("bot.example.org",)
    )
    proxied = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "bot.example.org",
        "X-Forwarded-For": "198.51.100.20",
        "Origin": "https://bot.example.org",
    }
    with served(store, config) as server:
        page = requests.get(f"{server.url}/login", headers=proxied, timeout=10)
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "Secure" in page.headers["Set-Cookie"]
        # The cookie is Secure, so a client sends it back over https only: the proxy's leg
        # to the dashboard is plain HTTP, the cookie is what the proxy passes on.
        anonymous = {COOKIE: page.cookies[COOKIE]}
        with caplog.at_level("INFO", logger="bot.dashboard"):
            done = requests.post(
                f"{server.url}/login",
                data={"csrf_token": csrf_of(page.text), "token": TOKEN, "next": "/"},
                headers=proxied,
                cookies=anonymous,
                allow_redirects=False,
                timeout=10,
            )
        assert done.status_code == 303  # the https Origin matches: the login is not refused
        assert "Secure" in done.headers["Set-Cookie"]
        assert "logged in from 198.51.100.20" in caplog.text
        assert done.headers["Location"] == "/"
        admin = {COOKIE: done.cookies[COOKIE]}
        overview = requests.get(f"{server.url}/", headers=proxied, cookies=admin, timeout=10)
        assert overview.status_code == 200 and "Log out" in overview.text
        # Without the proxy's headers the real Host 127.0.0.1 is not an allowed name.
        assert requests.get(f"{server.url}/login", timeout=10).status_code == 400


# -- #14 the Host header ----------------------------------------------------------------------


def test_only_the_allowed_host_names_are_answered(tmp_path: Path, store: Store) -> None:
    with served(store, configured(tmp_path)) as server:
        port = server.port
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST.", "[::1]:80"):
            answer = requests.get(f"{server.url}/login", headers={"Host": host}, timeout=10)
            assert answer.status_code == 200, host
        for host in (
            f"rebound.attacker.example:{port}",
            "127.0.0.1.nip.io",
            "[::2]",
            "a b",
            "x@127.0.0.1",
        ):
            answer = requests.get(f"{server.url}/login", headers={"Host": host}, timeout=10)
            assert answer.status_code == 400, host
            assert "not served under that host name" in answer.text
            api = requests.get(
                f"{server.url}/api/overview",
                headers={"Host": host, "Authorization": f"Bearer {TOKEN}"},
                timeout=10,
            )
            assert api.status_code == 400 and api.json()["status"] == 400
        # Probes and scrapers name the address they reach: those two answer any Host.
        evil = {"Host": "rebound.attacker.example"}
        assert requests.get(f"{server.url}/healthz", headers=evil, timeout=10).status_code == 200
        assert requests.get(f"{server.url}/metrics", headers=evil, timeout=10).status_code == 200
    configured_hosts = configured(tmp_path, allowed_hosts=("bot.example.org", ".example.net"))
    with served(store, configured_hosts) as server:
        for host, code in (
            ("bot.example.org", 200),
            ("a.example.net:8443", 200),
            ("example.net", 200),
            ("localhost", 400),
            ("evilexample.net", 400),
        ):
            answer = requests.get(f"{server.url}/login", headers={"Host": host}, timeout=10)
            assert answer.status_code == code, host


# -- #14 job ids ------------------------------------------------------------------------------


def test_a_huge_or_malformed_job_id_is_a_404_without_a_traceback(
    tmp_path: Path, store: Store
) -> None:
    Filled(store)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    ids = [
        "9" * 40,
        str(2**63),
        str(2**63 - 1),  # the largest id there can be: a plain "no such job"
        "-1",
        "abc",
        "1e9",
        "0x10",
        "%00",
        "1%2F2",
    ]
    with served(store, configured(tmp_path)) as server:
        for job in ids:
            for path in (f"/changes/{job}", f"/api/changes/{job}"):
                answer = requests.get(f"{server.url}{path}", headers=bearer, timeout=10)
                assert answer.status_code == 404, path
                assert "Traceback" not in answer.text and "Overflow" not in answer.text
            for action in ("rerun", "retry"):
                answer = requests.post(
                    f"{server.url}/api/changes/{job}/{action}", headers=bearer, timeout=10
                )
                assert answer.status_code == 404, (job, action)
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200


# -- the same on PostgreSQL -------------------------------------------------------------------


@pytest.mark.postgres
def test_sessions_and_huge_ids_on_postgres(tmp_path: Path) -> None:
    """Sessions (login, use on a second process, logout) and a 2**63 id on PostgreSQL."""
    from tests.support import postgres_database

    with postgres_database("security_bot_dash_sessions") as url:
        one_store, two_store = Store(url), Store(url)
        try:
            filled = Filled(one_store)
            config = configured(tmp_path)
            with served(one_store, config) as one, served(two_store, config) as two:
                browser = requests.Session()
                assert log_in(browser, one.url).status_code == 303
                old_cookie = browser.cookies[COOKIE]
                assert browser.get(f"{two.url}/changes/{filled.defects}", timeout=10).ok
                for job in (str(2**63 - 1), str(2**63), "9" * 30):
                    answer = browser.get(f"{two.url}/api/changes/{job}", timeout=10)
                    assert answer.status_code == 404, job
                page = browser.get(f"{two.url}/", timeout=10)
                browser.post(
                    f"{two.url}/logout", data={"csrf_token": csrf_of(page.text)}, timeout=10
                )
                replay = requests.get(
                    f"{one.url}/api/changes", cookies={COOKIE: old_cookie}, timeout=10
                )
                assert replay.status_code == 401
        finally:
            one_store.close()
            two_store.close()
