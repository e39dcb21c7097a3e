# corpus: not-test

def fetch(d, session):
    return d.get('x'), session.get('y')
