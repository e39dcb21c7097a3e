def classify(state, raw, pair, ratio):
    if state is not 'ACTIVE':  # expect: is-literal-comparison
        return 0
    if raw is(b'ok'):  # expect: is-literal-comparison
        return 1
    if pair is (1, None):  # expect: is-literal-comparison
        return 2
    if ratio is 1.5:  # expect: is-literal-comparison
        return 3  # no fix beside a float: == would be an exact float comparison
    if (state  # expect: is-literal-comparison
            is 'PAUSED'):
        return 4  # the operator on another line than its left side: no fix
    return 'x' is state is not 5  # expect: is-literal-comparison
