from glance.tests import utils as test_utils


class TestImageMembers(test_utils.BaseTestCase):
    def test_add_member(self):
        self.assertEqual(1, len(self.repo.add_member('m')))

    def test_remove_member(self):
        self.repo.remove_member('m')


class TestImageMembers(test_utils.BaseTestCase):  # expect: duplicate-test-definition
    def test_list_members(self):
        self.assertEqual([], self.repo.list_members())


class Outer(object):
    class NestedTest(test_utils.BaseTestCase):
        def test_a(self):
            pass

        def test_a(self):  # expect: duplicate-test-definition
            self.assertTrue(self.flag)
