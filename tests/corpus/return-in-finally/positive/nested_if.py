def f(api, flag):
    try:
        api.call()
    finally:
        if flag:
            return None  # expect: return-in-finally
