# corpus: not-test

import json

from oslo_serialization import jsonutils


def load(text):
    return json.loads(text), jsonutils.loads(text)
