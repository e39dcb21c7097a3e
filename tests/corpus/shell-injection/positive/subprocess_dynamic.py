# corpus: not-test
import subprocess
import subprocess as sp
from subprocess import check_output


def resize(path, size):
    subprocess.call('qemu-img resize %s %s' % (path, size), shell=True)  # expect: shell-injection
    sp.run(f'rm -rf {path}', shell=True, check=True)  # expect: shell-injection[high]
    check_output('ls ' + path, shell=True)  # expect: shell-injection
    cmd = 'dd if={} of=/dev/null'.format(path)
    subprocess.Popen(cmd, shell=True)  # expect: shell-injection
    subprocess.getoutput('du -sh ' + path)  # expect: shell-injection
    subprocess.check_call(  # expect: shell-injection
        ['sh', '-c', path],
        shell=True)
