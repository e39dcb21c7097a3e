def test_x(conn, host):
    query = "DELETE FROM services WHERE host = '" + host + "'"
    conn.execute(query)  # expect: sql-injection[medium]
