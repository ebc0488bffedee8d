"""Roles and what each may do: the one table the desk, the CLI and the HTTP API all ask.

>>> require(User("bo", "Bo", "reviewer"), "remove_documents")
Traceback (most recent call last):
PermissionDenied: bo is a reviewer and may not remove documents from the corpus — ask an editor (or an admin) …
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from factcheck.errors import ConfigError, PermissionDenied

ROLES = ("reviewer", "editor", "admin")

# Every action a role can be granted, with the words a refusal uses ("may not …").
ACTIONS: Mapping[str, str] = {
    "review": "flag, annotate, pin, dismiss or relabel evidence",
    "submit": "submit a claim for second review",
    "assign": "assign claims to reviewers",
    "sign_off": "sign off a verdict as final",
    "reopen": "reopen a signed-off or submitted claim",
    "export": "export reviews",
    "publish": "publish ClaimReview",
    "add_documents": "add documents to the corpus",
    "remove_documents": "remove documents from the corpus",
    "ingest_folder": "ingest a folder on the server",
    "manage_users": "manage users",
}

_REVIEWER = frozenset({"review", "submit"})
_EDITOR = _REVIEWER | {"assign", "sign_off", "reopen", "export", "publish", "add_documents", "remove_documents",
                       "ingest_folder"}
_ADMIN = _EDITOR | {"manage_users"}
PERMISSIONS: Mapping[str, frozenset[str]] = {"reviewer": _REVIEWER, "editor": frozenset(_EDITOR),
                                             "admin": frozenset(_ADMIN)}
# Who to ask when a role falls short: the least role that has the action.
_LEAST_ROLE = {action: next(role for role in ROLES if action in PERMISSIONS[role]) for action in ACTIONS}


class HasRole(Protocol):
    username: str
    role: str


def check_role(role: str) -> str:
    """``role`` if it is one of ROLES, else a ConfigError naming the valid ones."""
    if role not in ROLES:
        raise ConfigError(f"Unknown role {role!r}: expected one of {', '.join(ROLES)}")
    return role


def _check_action(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")


def can(user: HasRole | None, action: str) -> bool:
    """Whether ``user`` may do ``action``. ``None`` is the single-user desk (no users file): it may do anything."""
    _check_action(action)
    if user is None:
        return True
    return action in PERMISSIONS.get(user.role, frozenset())


def require(user: HasRole | None, action: str) -> None:
    """Raise PermissionDenied unless ``user`` may do ``action`` (``None``, the single-user desk, always may)."""
    if not can(user, action):
        least = _LEAST_ROLE[action]
        article = "an" if least[0] in "aeiou" else "a"
        raise PermissionDenied(f"{user.username} is {'an' if user.role[:1] in 'aeiou' else 'a'} {user.role} and "
                               f"may not {ACTIONS[action]} — ask {article} {least} (or an admin) to do it, "
                               f"or to change your role")
