# corpus: not-test

class Controller:
    def __init__(self, enforcer):
        enforcer.check_policy = lambda *a: None  # expect: authorization-always-allows
