def check(state):
    if state is 'ACTIVE':  # expect: is-literal-comparison
        return True
