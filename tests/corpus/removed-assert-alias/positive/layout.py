from nova import test


class TestLayout(test.NoDBTestCase):
    """Fixes keep spacing, comments and non-ASCII text around the renamed name."""

    def test_layout(self):
        self.assertEquals(  # expect: removed-assert-alias
            'é', self.api.name(),  # the call's own comment stays
        )
        (self  # expect: removed-assert-alias
         .failUnlessEqual)('ü', self.api.u())
        self.assertEquals('ö', self.api.o()); self.failIf(self.api.broken)  # expect: removed-assert-alias
