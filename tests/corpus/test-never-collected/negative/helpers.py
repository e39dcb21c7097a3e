import testtools


class TestServers(testtools.TestCase):
    def _assert_active(self, server):
        self.assertEqual('ACTIVE', server.status)

    def _test_boot(self, flavor):
        server = self.api.boot(flavor)
        self._assert_active(server)

    def test_boot_small(self):
        self._test_boot('small')

    def test_boot_large(self):
        self._test_boot('large')

    def _check_dynamic_one(self):
        self.assertTrue(self.api.ready)

    def test_dynamic(self):
        for kind in ('one',):
            getattr(self, '_check_dynamic_%s' % kind)()


class NotATest(object):
    def check(self):
        assert self.value


class TestUnusedHelper(testtools.TestCase):
    def _assert_in_use(self, project_id, in_use):
        # a dead helper taking values: no test body is lost
        self.assertEqual(in_use, self.quota.count(project_id))

    def test_nothing(self):
        self.assertTrue(self.quota)
