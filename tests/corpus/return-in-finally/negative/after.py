def f(api):
    try:
        api.call()
    finally:
        api.close()
    return True
