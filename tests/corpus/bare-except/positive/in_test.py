def test_x(api):
    try:
        api.call()
    except:  # expect: bare-except[low]
        api.reset()
