def test_x():
    with open('/tmp/nova-test.conf', 'w') as f:  # expect: insecure-temp-file
        f.write('x')
