# corpus: not-test

def cleanup(paths, os):
    for p in paths:
        try:
            os.unlink(p)
        except BaseException:  # expect: exception-swallowed
            continue
