# corpus: not-test

import jinja2


def env():
    return jinja2.Environment(autoescape=jinja2.select_autoescape())
