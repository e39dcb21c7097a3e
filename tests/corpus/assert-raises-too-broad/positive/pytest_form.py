import pytest


def test_bad(api):
    with pytest.raises(Exception):  # expect: assert-raises-too-broad
        api.get(None)
