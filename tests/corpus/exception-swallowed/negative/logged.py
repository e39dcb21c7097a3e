# corpus: not-test

import logging
LOG = logging.getLogger(__name__)


def cleanup(path, os):
    try:
        os.unlink(path)
    except Exception:
        LOG.exception('cleanup failed')
