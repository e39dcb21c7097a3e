import pytest


def test_bad(api):
    with pytest.raises(KeyError):
        api.lookup('x')
        assert api.misses == 1  # expect: assertions-after-raise
