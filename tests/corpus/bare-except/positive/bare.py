# corpus: not-test

def f(api):
    try:
        api.call()
    except:  # expect: bare-except, exception-swallowed
        pass
