# corpus: not-test

def resize(flavor):
    if flavor.memory_mb <= 0:
        raise ValueError('bad flavor')
