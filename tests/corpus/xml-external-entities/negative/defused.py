# corpus: not-test

from defusedxml import ElementTree as ET


def parse(body):
    return ET.fromstring(body)
