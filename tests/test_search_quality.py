"""Search quality on a labelled query set: English, Vietnamese, unaccented, typos, numbers,
NFD input, old/new tone placement, mixed languages, aliases, queries no fact matches whole,
joined words, dates, mistyped names and synonyms — each with the fact it must find."""

from __future__ import annotations

from pathlib import Path

import pytest

from dipfacts.base.load import load_base
from dipfacts.search.index import Index, build_index
from dipfacts.search.rank import search

QUERIES = Path(__file__).parent / "data" / "queries.tsv"


def labelled() -> list[tuple[str, str, str]]:
    rows = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            query, expected, kind = line.split("\t")
            rows.append((query, expected, kind))
    return rows


@pytest.fixture(scope="module")
def index() -> Index:
    return build_index(load_base())


def test_the_labelled_set_is_large_and_varied() -> None:
    rows = labelled()
    assert len(rows) >= 80
    assert {k for _, _, k in rows} >= {"en", "vi", "unaccented", "typo", "number", "nfd", "mixed", "alias"}
    assert {k for _, _, k in rows} >= {"dropped", "joined", "date", "name-typo", "synonym"}


def test_every_expected_fact_exists(index: Index) -> None:
    missing = [e for _, e, _ in labelled() if e not in index.ids]
    assert not missing


def test_hit_at_1_hit_at_5_and_mrr(index: Index) -> None:
    rows = labelled()
    first = top5 = 0
    reciprocal = 0.0
    misses = []
    for query, expected, kind in rows:
        ranked = [h.id for h in search(index, query, limit=10).hits]
        rank = ranked.index(expected) + 1 if expected in ranked else None
        first += rank == 1
        top5 += rank is not None and rank <= 5
        if rank != 1:
            misses.append((kind, query, rank, ranked[:2]))
        reciprocal += 1 / rank if rank else 0
    hit1, hit5, mrr = first / len(rows), top5 / len(rows), reciprocal / len(rows)
    print(f"\nlabelled queries: {len(rows)}  hit@1 = {hit1:.3f}  hit@5 = {hit5:.3f}  MRR = {mrr:.3f}")
    for miss in misses:
        print("  not first:", miss)
    assert hit1 >= 0.90, misses
    assert hit5 >= 0.98, misses
    assert mrr >= 0.90


@pytest.mark.parametrize("query", ["Kazakhstan trade", "kim ngach thuong mai", "Kazakstan trde"])
def test_the_issue_examples_put_vn_kz_trade_first(index: Index, query: str) -> None:
    top = search(index, query, limit=3).hits[0]
    assert top.id.startswith("vn-kz/bilateral-trade/")


def test_fast_tiers_agree_with_the_matches_they_explain(index: Index) -> None:
    """The tight scoring loop and the per-word matches shown by --explain are two codings of one rule."""
    from dipfacts.search.spec import FIELD_NAMES, FIELD_TIER

    name_tier = {name: FIELD_TIER[bit] for bit, name in FIELD_NAMES.items()}
    for query, _, _ in labelled():
        for hit in search(index, query, limit=10).hits:
            if not hit.matches:
                continue
            assert hit.typos == sum(m.typos for m in hit.matches), query
            assert hit.field == sum(min(name_tier[f] for f in m.fields) for m in hit.matches), query
            assert hit.exactness == sum(m.exact for m in hit.matches), query


def test_the_vectorised_preselection_ranks_exactly_as_the_loop(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large candidate sets are preselected with numpy; forced on for every query, nothing may move."""
    import dipfacts.search.paths as paths

    def ranked() -> dict[str, list[str]]:
        return {q: [h.id for h in search(index, q, limit=10).hits] for q, _, _ in labelled()}

    expected = ranked()
    assert all(expected.values()), [
        q for q, ids in expected.items() if not ids
    ]  # the default settings answer every query
    default = paths.RERANK_AT_MOST
    for rerank in (default, 12):  # the default, and one where the preselection really cuts
        monkeypatch.setattr(paths, "RERANK_AT_MOST", rerank)
        monkeypatch.setattr(paths, "NUMPY_PRESELECT_FROM_CANDIDATES", 0)
        cut = ranked()
        monkeypatch.setattr(paths, "NUMPY_PRESELECT_FROM_CANDIDATES", 10**9)
        loop = ranked()
        assert cut == loop, f"RERANK_AT_MOST={rerank}"
        if rerank == default:
            assert cut == expected  # the vectorised path, forced, ranks as the default path does


def test_numpy_masks_for_a_large_index_rank_exactly_as_sets(
    index: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From 20,000 facts doc sets are numpy masks; forced on for the real base, nothing may move."""
    import dipfacts.search.paths as paths
    import dipfacts.search.rank as rank

    sets = {q: [h.id for h in search(index, q, limit=10).hits] for q, _, _ in labelled()}
    monkeypatch.setattr(paths, "NUMPY_MASKS_FROM_FACTS", 0)
    masks = {q: [h.id for h in search(index, q, limit=10).hits] for q, _, _ in labelled()}
    assert masks == sets
    filtered = search(index, "trade", rank.Filters(relation="vn-kz", kind="figure"), limit=10)
    assert filtered.hits and all(index.fact(h.doc).kind == "figure" for h in filtered.hits)


def test_the_ranking_loop_scores_as_the_spec_does(index: Index) -> None:
    """The ranking loop (rank._cheap_keys) inlines spec.score and spec.length_norm for speed: every
    candidate's BM25 is spec.score's of the tfs --explain's matches have, to the last bit, and its
    other tiers are those matches' (spec.SortKey)."""
    from dipfacts.search import rank, spec

    checked = 0
    for query, _, _ in labelled():
        qwords = [q for q in rank.parse_query(index, query) if not q.stop]
        p = rank._SetPostings(index)
        word_docs = [p.union([rank._alt_docs(p, a) for a in q.alternatives]) for q in qwords]
        for mask, level in rank._levels(p, word_docs, rank._word_order(word_docs)):  # every level
            keep = [q for i, q in enumerate(qwords) if mask >> i & 1]
            idf = [index.idf(len(d)) for i, d in enumerate(word_docs) if mask >> i & 1]
            docs = set(level)
            exact_sets = [rank._exact_set(index, q.exact, len(docs)) for q in keep]
            resolvers = [rank._resolver(p, q, len(docs)) for q in keep]
            ways = [
                list(zip(q.alternatives, found, strict=True))
                for q, found in zip(keep, resolvers, strict=True)
            ]
            for row in rank._cheap_keys(index, resolvers, idf, exact_sets, docs):
                key = spec.SortKey._make(row)
                matches = [rank._best_match(p, alternatives, key.doc) for alternatives in ways]
                bm25 = spec.score(idf, [m.tf for m in matches], index.norm(key.doc))
                assert -key.minus_bm25 == bm25, query
                assert key.typos == sum(m.typos for m in matches), query
                assert key.field == sum(spec.field_tier(m.bits) for m in matches), query
                checked += 1
    assert checked > 10_000
