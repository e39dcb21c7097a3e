# corpus: not-test

from lxml import etree


def parse(path):
    return etree.parse(path)  # expect: xml-external-entities
