def initialize_sql_session(engine, enforce_sqlite_fks=True):
    f_key = 'ON' if enforce_sqlite_fks else 'OFF'
    engine.connect().exec_driver_sql('PRAGMA foreign_keys = ' + f_key)
