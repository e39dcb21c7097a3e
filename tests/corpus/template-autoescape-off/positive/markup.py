# corpus: not-test

from markupsafe import Markup


def render(name):
    return Markup('<b>%s</b>' % name)  # expect: template-autoescape-off
