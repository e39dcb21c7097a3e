def test_x(items):
    for i in items:
        if not i:
            continue
        assert i.ok
