"""The admin dashboard: a Flask app over the store (see :mod:`bot.dashboard.app`)."""

from bot.dashboard.app import create_app
from bot.dashboard.server import DashboardServer, serve

__all__ = ["DashboardServer", "create_app", "serve"]
