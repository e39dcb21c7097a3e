"""What turns Gerrit activity into queued jobs.

``patchsets`` queues one job per new patch set, ``recheck`` one per
``recheck-security`` request; ``cursor`` holds the time-window logic both share.
They read Gerrit only through :class:`bot.gerrit.source.GerritSource` and write
only jobs (and their cursors) to the store.
"""
