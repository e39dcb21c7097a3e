# corpus: not-test

import telnetlib


def connect(host):
    return telnetlib.Telnet(host)  # expect: weak-crypto-protocol
