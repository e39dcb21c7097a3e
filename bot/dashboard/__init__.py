"""The admin dashboard: a Flask app over the store, served by waitress.

:func:`create_app` (in :mod:`bot.dashboard.app`) builds the app from the
blueprints; :func:`serve` (in :mod:`bot.dashboard.server`) runs it in a
background thread.
"""

from bot.dashboard.app import create_app
from bot.dashboard.server import DashboardServer, serve

__all__ = ["DashboardServer", "create_app", "serve"]
