def f(api, items):
    try:
        api.call()
    finally:
        for i in items:
            if i:
                break
