# corpus: not-test

def run(script):
    exec(compile(script, 'x', 'exec'))  # expect: code-injection, code-injection
