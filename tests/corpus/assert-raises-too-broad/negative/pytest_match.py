import pytest


def test_bad(api):
    with pytest.raises(Exception, match='not found'):
        api.get(None)
