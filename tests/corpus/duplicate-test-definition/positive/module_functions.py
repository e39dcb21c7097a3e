import pytest

from octavia.common import utils


def test_base64_round_trip():
    assert utils.base64_decode(utils.base64_encode('x')) == 'x'


@pytest.mark.parametrize('value', ['', 'abc'])
def test_base64_round_trip(value):  # expect: duplicate-test-definition
    assert utils.base64_decode(utils.base64_encode(value)) == value


async def test_wait():
    assert await utils.wait(0) is None


async def test_wait():  # expect: duplicate-test-definition
    assert await utils.wait(1) is None
