"""An embedded Gerrit stand-in: Gerrit's REST API over real HTTP, git over smart HTTP.

Usage::

    with FakeGerrit(tmp_path).start() as fg:
        fg.create_project("openstack/nova", {"README": "nova\\n"})
        number = fg.create_change("openstack/nova", {"nova/tests/test_x.py": "..."}, "Add test")
        ...  # talk to fg.url
"""

from .faults import Fault, RecordedRequest
from .fixes import apply_all_and_publish
from .server import FakeGerrit

__all__ = ["FakeGerrit", "Fault", "RecordedRequest", "apply_all_and_publish"]
