"""Our exception types. Each message says what happened and what to do next."""

from __future__ import annotations


class FactcheckError(Exception):
    """Base class for every error factcheck raises on purpose."""


class ConfigError(FactcheckError):
    """A setting or option has a value factcheck cannot run with (e.g. ``top_k`` below 1)."""


class InputError(FactcheckError):
    """The text or file given to factcheck cannot be used (empty, binary, too large, unreadable)."""


class StoreError(FactcheckError):
    """The evidence store is missing, unreachable or unusable."""


class StoreUnavailable(StoreError):
    """The evidence store is a server that is not answering (stopped, or unreachable); it may come back."""


class ModelError(FactcheckError):
    """A bundled model could not be found or loaded."""


class ServiceError(FactcheckError):
    """A local server for the team set-up (PostgreSQL, Chroma, the app) could not be started or stopped."""


class ReviewError(FactcheckError):
    """A review could not be saved or loaded (e.g. a concurrent edit)."""


class WorkflowError(ReviewError):
    """A claim's workflow step is not allowed (e.g. signing off one's own submission)."""
