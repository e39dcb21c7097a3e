import functools
import typing

from nova import test


class TestFlavorAccess(test.NoDBTestCase):
    @property
    def testing_project(self):
        return self._project

    @testing_project.setter
    def testing_project(self, value):
        self._project = value

    @typing.overload
    def test_helper(self, x: int) -> int: ...

    @typing.overload
    def test_helper(self, x: str) -> str: ...

    def test_list(self):
        self.assertEqual([], self.api.list())

    # the legacy name keeps running the first body
    test_list_legacy = test_list

    def test_list(self):
        self.assertEqual([], self.api.list(detail=True))


@functools.singledispatch
def test_value(arg):
    return arg


@test_value.register
def test_value(arg: int):
    return arg + 1
