def test_hosts():
    hosts = ['a']
    assert hosts == hosts  # expect: assert-same-operands
