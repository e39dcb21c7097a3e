def f(api):
    try:
        api.call()
    finally:
        return True  # expect: return-in-finally
