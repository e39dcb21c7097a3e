import jinja2


def test_x():
    jinja2.Environment()
