# corpus: not-test

def cleanup(path, os):
    try:
        os.unlink(path)
    except Exception:  # expect: exception-swallowed[medium]
        pass
