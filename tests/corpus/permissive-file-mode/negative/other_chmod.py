# corpus: not-test

def f(utils, path):
    utils.chmod(path, 0o777)
