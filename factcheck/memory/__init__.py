"""Memory: claims checked before — matching, the archive of reviewed claims, evidence snapshots."""

from factcheck.memory.archive import Archive, ArchivedClaim, ArchiveFilter, Match
from factcheck.memory.matching import ClaimIndex, IndexedClaim, MatchThresholds
from factcheck.memory.snapshots import RecheckDiff, Snapshot, SnapshotStore, recheck_diff

__all__ = ["Archive", "ArchiveFilter", "ArchivedClaim", "ClaimIndex", "IndexedClaim", "Match", "MatchThresholds",
           "RecheckDiff", "Snapshot", "SnapshotStore", "recheck_diff"]
