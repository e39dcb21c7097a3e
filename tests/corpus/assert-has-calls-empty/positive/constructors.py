from unittest import mock

from octavia.tests.unit import base


class TestWorker(base.TestCase):
    @mock.patch('octavia.controller.worker.v2.tasks.network_tasks.LOG')
    async def test_worker(self, mock_log):
        mock_log.warning.assert_has_calls(list())  # expect: assert-has-calls-empty
        self.handler.notify.assert_has_awaits(tuple())  # expect: assert-has-calls-empty
