# corpus: not-test

def get(conn):
    return conn.execute("SELECT * FROM instances WHERE deleted = 0")
