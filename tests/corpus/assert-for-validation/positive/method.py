# corpus: not-test

class Api:
    def get(self, key):
        assert key  # expect: assert-for-validation
        return key
