import random


def test_x(hosts):
    name = 'server-%d' % random.randint(0, 1000)
    host = random.choice(hosts)
