# corpus: not-test

from jinja2 import Environment


def env():
    return Environment(autoescape=False)  # expect: template-autoescape-off
