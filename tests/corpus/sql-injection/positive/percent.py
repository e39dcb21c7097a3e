# corpus: not-test

def get(conn, name):
    return conn.execute("SELECT * FROM instances WHERE name = '%s'" % name)  # expect: sql-injection[high]
