# corpus: not-test

def f(api):
    try:
        api.call()
    except:
        api.rollback()
        raise
