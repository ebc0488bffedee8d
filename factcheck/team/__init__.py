"""The team desk: users and their roles (who may do what), sign-in settings, and assignment rules."""

from factcheck.team.roles import ACTIONS, ROLES, can, require
from factcheck.team.users import CookieConfig, User, UsersFile

__all__ = ["ACTIONS", "ROLES", "CookieConfig", "User", "UsersFile", "can", "require"]
