# corpus: not-test

class Controller:
    def __init__(self, enforcer):
        enforcer.authorize = lambda *a: False
