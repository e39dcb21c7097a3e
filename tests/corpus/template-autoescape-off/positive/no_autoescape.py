# corpus: not-test

import jinja2


def env(path):
    return jinja2.Environment(loader=jinja2.FileSystemLoader(path))  # expect: template-autoescape-off
