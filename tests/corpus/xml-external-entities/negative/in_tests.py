from lxml import etree


def test_x(xml):
    etree.fromstring(xml)
