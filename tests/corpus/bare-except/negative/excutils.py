# corpus: not-test

from oslo_utils import excutils


def f(api):
    try:
        api.call()
    except Exception:
        with excutils.save_and_reraise_exception():
            api.rollback()
