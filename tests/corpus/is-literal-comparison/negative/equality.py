def check(state):
    return state == 'ACTIVE'
