"""Pruned top-k (topk.py) is an optimisation: forced on for the real base, nothing may move.

The real base is small, so every term is given an impact order here (impact_from=1)
and the thresholds that send a query down the pruned path are lowered; each test
also counts that the pruned path really answered, so none passes by falling back."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dipfacts.search.paths as paths
import dipfacts.search.rank as rank
import dipfacts.search.topk as topk
from dipfacts.base.load import load_base
from dipfacts.search.index import Index, build_index
from dipfacts.search.spec import SUBSTANCE, TIER0, impact, tf_of
from test_search_quality import labelled

EXTRA = [
    "trade",
    "Kazakhstan",
    "asean",
    "vietnam kazakhstan",
    "quan he",
    "hop tac",
    "kazakhstan trad",
    "ASEAN ministers",
    "Việt Nam",
    "Biển Đông",
    "2022",
]


INDEX = build_index(load_base(), impact_from=1)


@pytest.fixture
def index() -> Index:
    return INDEX


def _ranked(index: Index, query: str, limit: int, pruned: bool) -> list[tuple]:
    old = paths.PRUNED_TOPK_FROM_FACTS
    paths.PRUNED_TOPK_FROM_FACTS = 0 if pruned else 10**9
    try:
        return [
            (h.id, h.typos, h.proximity, h.field, h.exactness, h.score, h.matches)
            for h in rank.search(index, query, limit=limit).hits
        ]
    finally:
        paths.PRUNED_TOPK_FROM_FACTS = old


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the queries the pruned path answered (rather than handing back to the full ranking)."""
    count = [0]
    real = topk.best

    def spy(*args, **kwargs):
        found = real(*args, **kwargs)
        count[0] += found is not None
        return found

    monkeypatch.setattr(topk, "best", spy)
    return count


@pytest.mark.parametrize(
    ("scan", "rounds"),
    [(0, 64), (0, 1), (10**9, 64)],
    ids=["threshold-algorithm", "shortest-order-only", "scan"],
)
@pytest.mark.parametrize("rerank", [3, 20])
def test_pruned_top_k_ranks_exactly_as_the_full_ranking(
    index: Index, monkeypatch: pytest.MonkeyPatch, answered: list[int], scan: int, rounds: int, rerank: int
) -> None:
    monkeypatch.setattr(paths, "TOPK_SCAN_UP_TO_DOCS", scan)
    monkeypatch.setattr(paths, "TOPK_ROUNDS_IN_STEP", rounds)
    monkeypatch.setattr(paths, "RERANK_AT_MOST", rerank)
    queries = [q for q, _, _ in labelled()] + EXTRA
    for limit in (1, 3, 10):
        for query in queries:
            assert _ranked(index, query, limit, pruned=True) == _ranked(index, query, limit, pruned=False), (
                query,
                limit,
            )
    assert answered[0] >= 40  # the pruned path answered a good share of them itself


def test_rare_terms_are_ordered_on_the_fly_as_the_build_orders_frequent_ones(
    monkeypatch: pytest.MonkeyPatch, answered: list[int]
) -> None:
    index = build_index(load_base(), impact_from=10**9)  # no impact order at all
    assert len(index.impact_terms) == 0
    for term in ("kazakhstan", "trade", "asean", "hop"):
        assert index.impact_orders(term) == [list(order) for order in INDEX.impact_orders(term)]
    monkeypatch.setattr(paths, "TOPK_SCAN_UP_TO_DOCS", 0)
    monkeypatch.setattr(paths, "RERANK_AT_MOST", 3)
    for query in EXTRA + ["Kazakhstan trade", "kim ngach thuong mai", "Kazakstan trde"]:
        assert _ranked(index, query, 3, pruned=True) == _ranked(index, query, 3, pruned=False), query
    assert answered[0] >= 5


def test_an_impact_order_holds_the_best_field_docs_by_substance_then_impact(index: Index) -> None:
    term = "kazakhstan"
    docs, packed = index.postings(term)
    seen = []
    for substance in range(3):
        order = [(docs[i], packed[i]) for i in index.impact_orders(term)[substance]]
        assert all(SUBSTANCE[index.kinds[d]] == substance and p & TIER0 for d, p in order)
        impacts = [impact(tf_of(p), index.norm(d)) for d, p in order]
        assert impacts == sorted(impacts, reverse=True)
        seen += [d for d, _ in order]
    assert sorted(seen) == [d for d, p in zip(docs, packed, strict=True) if p & TIER0]
    assert len(seen) > 20


def test_too_few_docs_at_the_best_tiers_hands_back_to_the_full_ranking(index: Index) -> None:
    from dipfacts.search.topk import Group, best

    def word(term: str) -> Group:
        return Group((term,), None, (term,))

    (doc,) = [d for d in range(len(index)) if index.id_of(d) == "vn-kz/bilateral-trade/2021"]
    assert best(index, [word("426.1")], 1) == (
        [doc],
        [index.idf(index.df(["426.1"]))],
    )  # "reached 426.1 million USD"
    assert best(index, [word("426.1")], 2) is None  # the only fact with it in its text
    assert best(index, [word("426100000")], 1) is None  # only in meta, a lower field tier
    assert best(index, [word("kazakhstan")], 10**6) is None
    assert best(index, [word("nosuchterm")], 1) is None


# Queries from the base's own words, with a typo now and then, in any order.
VOCABULARY = [t for t in INDEX.terms.as_list() if t.isalpha() and len(t) > 1][::7]
word = st.one_of(
    st.sampled_from(VOCABULARY), st.sampled_from(VOCABULARY).map(lambda w: w[:-1] + "x" if len(w) > 4 else w)
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    words=st.lists(word, min_size=1, max_size=4), limit=st.integers(1, 12), scan=st.sampled_from([0, 10**9])
)
def test_pruning_never_moves_a_result(words: list[str], limit: int, scan: int) -> None:
    index = INDEX
    old = paths.TOPK_SCAN_UP_TO_DOCS
    paths.TOPK_SCAN_UP_TO_DOCS = scan
    try:
        query = " ".join(words)
        assert _ranked(index, query, limit, pruned=True) == _ranked(index, query, limit, pruned=False)
    finally:
        paths.TOPK_SCAN_UP_TO_DOCS = old


def test_a_pruned_search_never_imports_numpy() -> None:
    """The point of it: numpy's import is most of a CLI run's time on a large base."""
    code = (
        "import sys, dipfacts.search.paths as paths, dipfacts.search.rank as rank\n"
        "from dipfacts.search.index import build_index\n"
        "from dipfacts.base.load import load_base\n"
        "index = build_index(load_base(), impact_from=1)\n"
        "paths.PRUNED_TOPK_FROM_FACTS = paths.NUMPY_MASKS_FROM_FACTS = 0\n"
        "paths.NUMPY_PRESELECT_FROM_CANDIDATES = 0\n"
        "paths.RERANK_AT_MOST = 2\n"
        "hits = rank.search(index, 'Kazakhstan trade', limit=1).hits\n"
        "print(hits[0].id, 'numpy' in sys.modules)\n"
        "rank.search(index, 'Kazakhstan trade', rank.Filters(kind='figure'), limit=1)\n"
        "print('numpy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0].startswith("vn-kz/bilateral-trade/")
    assert out[1:] == [
        "False",
        "True",
    ]  # pruned: no numpy; a filtered search takes the full path, which loads it


def test_pruned_top_k_scores_as_the_spec_does(index: Index) -> None:
    """topk._Query.score inlines spec.bm25 and spec.tf_of for speed: every doc it scores gets
    spec.score of the tfs spec.tf_of reads in its postings, to the last bit."""
    from dipfacts.search import spec
    from dipfacts.search.topk import Group, _Query, _Word

    checked = 0
    for terms in (["kazakhstan", "trade"], ["asean", "viet", "nam"], ["hop", "tac"], ["quan", "he"]):
        words = [_Word(index, Group((t,), None, (t,))) for t in terms]
        q = _Query(index, words)
        q.idfs = [index.idf(index.df([t])) for t in terms]
        for doc in words[0].best_field_docs():
            tfs = []
            for t in terms:
                docs, packed = index.postings(t)
                at = [i for i, d in enumerate(docs) if d == doc and packed[i] & spec.TIER0]
                tfs.append(spec.tf_of(packed[at[0]]) if at else None)
            found = q.score(doc)
            if None in tfs:
                assert found is None
            else:
                assert found == spec.score(q.idfs, tfs, index.norm(doc)), (terms, doc)
                checked += 1
    assert checked > 20
