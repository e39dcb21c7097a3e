"""The dashboard served for real: ``serve()`` on an ephemeral port, spoken to over HTTP."""

from __future__ import annotations

from pathlib import Path

import requests

from bot.dashboard import create_app, serve
from bot.store import Store
from tests.unit.test_dashboard import TOKEN, Filled, make_config


def test_serve_on_an_ephemeral_port_answers_and_stops(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'dash.db'}")
    filled = Filled(store)
    server = serve(create_app(store, make_config()), "127.0.0.1", 0)
    try:
        assert server.port > 0 and server.url == f"http://127.0.0.1:{server.port}"
        health = requests.get(f"{server.url}/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert health.headers["X-Frame-Options"] == "DENY"
        assert requests.get(f"{server.url}/api/changes", timeout=10).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        listing = requests.get(f"{server.url}/api/changes", headers=auth, timeout=10)
        assert listing.status_code == 200 and listing.json()["total"] == 6
        session = requests.Session()
        login_page = session.get(f"{server.url}/login", timeout=10)
        csrf = login_page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        done = session.post(
            f"{server.url}/login",
            data={"csrf_token": csrf, "token": TOKEN, "next": f"/changes/{filled.defects}"},
            timeout=10,
        )
        assert done.status_code == 200 and done.url.endswith(f"/changes/{filled.defects}")
        cookie = next(c for c in session.cookies if c.name == "security_bot_session")
        assert cookie.has_nonstandard_attr("HttpOnly") and not cookie.secure
        metrics = requests.get(f"{server.url}/metrics", timeout=10)
        assert "security_bot_queue_depth" in metrics.text
    finally:
        server.stop()
        store.close()
    try:
        requests.get(f"{server.url}/healthz", timeout=2)
    except requests.ConnectionError:
        pass
    else:  # pragma: no cover - the server should be gone
        raise AssertionError("the dashboard still answers after stop()")


def test_serve_uses_the_configured_threads_and_timeout(tmp_path: Path) -> None:
    import dataclasses

    store = Store(f"sqlite:///{tmp_path / 'dash.db'}")
    config = make_config()
    config = config.replace(
        dashboard=dataclasses.replace(config.dashboard, threads=3, channel_timeout=7)
    )
    with serve(create_app(store, config), "127.0.0.1", 0) as server:
        waitress = server._server
        assert len(waitress.task_dispatcher.threads) == 3
        assert waitress.adj.channel_timeout == 7
        answer = requests.get(f"{server.url}/healthz", timeout=10)
        assert answer.headers["Server"] == "waitress"
    store.close()


def test_a_taken_port_raises_and_stop_frees_the_port(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'dash.db'}")
    app = create_app(store, make_config())
    server = serve(app, "127.0.0.1", 0)
    port = server.port
    with requests.Session() as session:  # a kept-alive connection must not hold stop() up
        assert session.get(f"{server.url}/healthz", timeout=10).status_code == 200
        try:
            serve(app, "127.0.0.1", port)
        except OSError:
            pass
        else:  # pragma: no cover - the port is taken
            raise AssertionError("serving on a taken port did not raise OSError")
        server.stop()
        server.stop()  # a second stop is harmless
    with serve(app, "127.0.0.1", port) as again:
        assert again.port == port
        assert requests.get(f"{again.url}/healthz", timeout=10).status_code == 200
    store.close()
