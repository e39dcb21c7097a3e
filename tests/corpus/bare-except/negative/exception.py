# corpus: not-test

def f(api):
    try:
        api.call()
    except Exception:
        api.rollback()
