from unittest import mock

from . import base


class ApiHelper(base.BaseTest):
    def setUp(self):
        super().setUp()
        self.client_p = mock.patch('proj.api.Client')
        self.client = self.client_p.start()
