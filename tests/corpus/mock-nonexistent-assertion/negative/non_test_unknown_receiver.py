# corpus: not-test
"""Production code: receivers are not known mocks, so nothing is reported."""


class Scheduler:
    def run(self, tracker):
        tracker.called_with(self.host)
        tracker.has_calls()
        self.stats.not_called()
