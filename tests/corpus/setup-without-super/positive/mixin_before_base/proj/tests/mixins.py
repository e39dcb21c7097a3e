class NetworkMixin(object):
    def setUp(self):  # expect: setup-without-super
        self.network = {'id': 'net-1'}
