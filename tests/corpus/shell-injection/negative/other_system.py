# corpus: not-test
import platform


def info(conn, path):
    platform.system()
    conn.system(path)
    self.os.system(path)
    runner.run('ls ' + path, shell=True)
