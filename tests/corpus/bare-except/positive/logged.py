# corpus: not-test

def f(api, log):
    try:
        api.call()
    except:  # expect: bare-except
        log.error('failed')
