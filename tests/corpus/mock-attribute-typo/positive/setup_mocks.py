from unittest import mock

from ironic.tests import base


class TestDeploy(base.TestCase):
    def setUp(self):
        super().setUp()
        self.driver = mock.MagicMock()
        patcher = mock.patch('ironic.common.utils.execute')
        self.mock_execute = patcher.start()
        self.addCleanup(patcher.stop)

    def test_deploy(self):
        self.driver.deploy.retun_value = 'DEPLOYDONE'  # expect: mock-attribute-typo
        self.driver.prepare.return_Value = None  # expect: mock-attribute-typo
        self.task.process(self.driver)
        self.assertEqual(2, self.mock_execute.call_counts)  # expect: mock-attribute-typo
