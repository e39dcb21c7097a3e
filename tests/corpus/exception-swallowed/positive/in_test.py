def test_x(api):
    try:
        api.call()
    except (ValueError, Exception):  # expect: exception-swallowed[low]
        ...
