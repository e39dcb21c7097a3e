def f(items):
    for i in items:
        try:
            i.call()
        finally:
            break  # expect: return-in-finally
