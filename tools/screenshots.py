"""Screenshots of the dashboard, made from the demo.

Runs the demo pipeline (the fake Gerrit with its sample changes, reviewed by the
real bot), serves the dashboard on 127.0.0.1 and photographs the overview and
the detail page of the sample with defects in headless Chromium:

    python tools/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]

Needs Debian's ``chromium`` package (``--chromium`` defaults to
``$SECURITY_BOT_CHROMIUM``, else ``/usr/bin/chromium``) and the ``playwright`` Python
package (only its driver is used; no browser is downloaded).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

from bot.config import Secret
from bot.demo import scratch
from bot.demo.harness import drain, serve_dashboard
from bot.demo.samples import Demo
from bot.store import JobKind

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "screenshot-token"  # noqa: S105 - a throwaway token for a local, temporary dashboard


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=scratch.chromium_path())
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="security-bot-screenshots-") as tmp:
        demo = Demo(Path(tmp))
        config = demo.config.replace(
            dashboard=dataclasses.replace(demo.config.dashboard, admin_token=Secret(TOKEN))
        )
        server = None
        try:
            service = demo.harness.service(config)
            service.check_gerrit()
            for phase in sorted({s.phase for s in demo.samples}):
                demo.load(phase)
                service.poller.poll_once()
                drain(service)
                service.poll_safely()  # records the successful poll in the health state
            server = serve_dashboard(service, config, scheduler_alive=True)
            defects = demo.sample("defects")
            job = next(
                j for j in service.store.jobs(change=defects.change) if j.kind is JobKind.NEW
            )
            with sync_playwright() as pw:
                browser = pw.chromium.launch(**scratch.chromium_launch_options(args.chromium))
                page = browser.new_page(viewport={"width": 1360, "height": 900})
                page.goto(f"{server.url}/login")
                page.fill("input[name=token]", TOKEN)
                page.fill("input[name=name]", "admin")
                page.click("#login-form button[type=submit]")
                page.wait_for_url(f"{server.url}/")
                page.screenshot(path=str(args.out / "overview.png"), full_page=True)
                page.goto(f"{server.url}/changes/{job.id}")
                height = min(1800, int(page.evaluate("document.body.scrollHeight")))
                page.screenshot(
                    path=str(args.out / "detail.png"),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": 1360, "height": height},
                )
                page.goto(f"{server.url}/changes")
                page.screenshot(path=str(args.out / "changes.png"), full_page=True)
                browser.close()
        finally:
            if server is not None:
                server.stop()
            demo.close()
    for name in ("overview.png", "detail.png", "changes.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
