# corpus: not-test

from markupsafe import Markup, escape


def render(name):
    return Markup('<br>') + escape(name)
