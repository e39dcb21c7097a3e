"""gerrit-security-bot: security and test-integrity review of Gerrit patch sets."""

__version__ = "0.1.0"
