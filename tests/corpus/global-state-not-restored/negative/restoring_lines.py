import testtools

from proj import cache


class TestRestores(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.orig_ttl = cache.TTL
        cache.TTL = 0
        self.addCleanup(self._restore_ttl)

    def _restore_ttl(self):
        cache.TTL = self.orig_ttl

    def test_finally(self):
        saved = cache.BACKEND
        cache.BACKEND = 'memory'
        try:
            self.assertEqual('memory', cache.BACKEND)
        finally:
            cache.BACKEND = saved

    def test_lambda_cleanup(self):
        enabled = cache.ENABLED
        self.addCleanup(lambda: setattr(cache, 'ENABLED', enabled))
        cache.ENABLED = False
