"""Which way a search goes: the sizes that choose between the ways of ranking.

Every way ranks by spec.py, exactly as the others (tests/test_topk.py and
tests/test_search_quality.py force each on the real base and compare), so these
decide only what is fastest, never what is found. They are read when a search
runs (`paths.NAME`, never imported by name), so a test can force a way by setting one.
What each choice measured is in docs/benchmarks.md.
"""

from __future__ import annotations

# Facts from which a query first tries pruned top-k (topk.py): it needs no numpy and scores only
# the docs it reads, but first counts whether enough docs are at the best tiers; on a small base
# the full ranking is as quick, and it hands back to it when too few are.
PRUNED_TOPK_FROM_FACTS = 5_000

# Facts from which a query's doc sets are numpy boolean masks rather than Python sets: a set of
# 80,000 ints costs milliseconds to build, a mask microseconds; numpy's import (~100 ms) is then
# paid by every query that gets this far, and a small base never pays it.
NUMPY_MASKS_FROM_FACTS = 20_000

# Candidates from which the cheap tiers are computed over numpy arrays (rank._preselect) rather
# than in the Python loop, while numpy is not loaded yet: below this its import costs more than
# the loop. Once numpy is loaded (a large base), any cut to RERANK_AT_MOST pays.
NUMPY_PRESELECT_FROM_CANDIDATES = 4_000

# Candidates whose proximity is measured (the one tier that reads a fact's words), chosen by every
# other tier first: twice the results wanted, at most this many. A level after words were dropped
# often fills only the last few places.
RERANK_AT_MOST = 20

# Docs a term must be in for the build to sort its impact orders and store them in the cache;
# a rarer term's are sorted when a query asks (cheap for a short posting list).
IMPACT_ORDERS_FROM_DOCS = 1_000

# Pruned top-k: a word whose terms find at most this many docs is scored whole rather than read in
# impact order, where bookkeeping costs more than scoring them all.
TOPK_SCAN_UP_TO_DOCS = 2_000

# Pruned top-k: rounds of reading every word's impact order in step (which finds the top quickly
# when many docs hold every word) before reading only the shortest (which settles quickly when few do).
TOPK_ROUNDS_IN_STEP = 64


def rerank(limit: int) -> int:
    """How many candidates get proximity measured when `limit` results are wanted: twice as
    many, up to RERANK_AT_MOST (never fewer than `limit`)."""
    return max(min(RERANK_AT_MOST, 2 * limit), limit)
