from oslo_utils.fixture import uuidsentinel as uuids


def check(x):
    return x is uuids.instance
