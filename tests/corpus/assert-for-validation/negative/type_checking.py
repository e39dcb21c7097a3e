# corpus: not-test

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    assert True
