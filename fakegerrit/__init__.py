"""An embedded Gerrit stand-in: Gerrit's REST API over real HTTP, git over smart HTTP.

Usage::

    with FakeGerrit(tmp_path).start() as fg:
        fg.create_project("openstack/nova", {"README": "nova\\n"})
        number = fg.create_change("openstack/nova", {"nova/tests/test_x.py": "..."}, "Add test")
        ...  # talk to fg.url

The bot's account (``security-bot``) has the password given as ``bot_password`` or, without
one, a password made for this instance (``fg.bot_password``): the fake has no known secret.
How closely it follows a real Gerrit is in docs/gerrit-fidelity.md.
"""

from .faults import Fault, RecordedRequest
from .server import FakeGerrit

__all__ = ["FakeGerrit", "Fault", "RecordedRequest"]
