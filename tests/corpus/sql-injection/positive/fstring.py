# corpus: not-test

import sqlalchemy as sa


def get(session, uuid):
    q = sa.text(f"SELECT id FROM instances WHERE uuid = '{uuid}'")  # expect: sql-injection
    return session.execute(q)
