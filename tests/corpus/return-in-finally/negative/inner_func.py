def f(api):
    try:
        api.call()
    finally:
        def cb():
            return 1
        api.register(cb)
