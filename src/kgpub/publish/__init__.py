"""Publishing the built dataset into triple stores (see run.py)."""

from .client import ChallengeAuth, Endpoints, PublishError, StoreClient
from .plan import LOG_GRAPH, UNION_GRAPH, PublishLog, parse_log, read_dataset
from .run import METHODS, PublishOptions, PublishReport, prepare, publish

__all__ = [
    "LOG_GRAPH",
    "METHODS",
    "UNION_GRAPH",
    "ChallengeAuth",
    "Endpoints",
    "PublishError",
    "PublishLog",
    "PublishOptions",
    "PublishReport",
    "StoreClient",
    "parse_log",
    "prepare",
    "publish",
    "read_dataset",
]
