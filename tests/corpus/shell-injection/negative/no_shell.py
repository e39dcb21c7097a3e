# corpus: not-test
import subprocess

from oslo_concurrency import processutils


def resize(path, size):
    subprocess.call(['qemu-img', 'resize', path, size])
    subprocess.run(['rm', '-rf', path], check=True, shell=False)
    processutils.execute('qemu-img', 'info', path)
    subprocess.check_output(['ls', path])
    subprocess.Popen(['dd', 'if=' + path], shell=use_shell)
