# corpus: not-test

def resize(instance, flavor):
    assert flavor.memory_mb > 0  # expect: assert-for-validation[low]
