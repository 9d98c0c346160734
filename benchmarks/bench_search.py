"""Search benchmark: build, cached load, query latency, memory and CLI wall time.

    python benchmarks/bench_search.py                 # real base, 1,000, 10,000, 100,000 facts
    python benchmarks/bench_search.py --sizes 1000    # a quick run

Synthetic bases resemble the real one: each synthetic fact copies a real fact's
fields (same lengths, both languages, the same entities and relations) with a new
id, shuffled numbers and a random year, so vocabulary and posting lengths grow
as a larger real base would. Every size is measured in its own process, so peak
memory (max RSS) is that size's alone. CLI wall time is compared with the floor
`python -c "import typer, rich, rapidfuzz"`, measured in the same run, both as
medians of interleaved runs: the machines are shared and noisy, so only medians
and ratios within one run mean anything. Bytecode caching is on, as on a user's
machine. Peak RSS is given for the build (parse + index + cache write, in one
process) and for a search (a fresh process loading the cache and answering the
query mix).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = (
    10  # timed rounds of the query mix: p95 of 120 latencies, so one burst of a shared machine is not the p95
)
QUERIES = [
    "Kazakhstan trade",
    "kim ngach thuong mai",
    "Kazakstan trde",
    "426,1",
    "khi nào Việt Nam và Kazakhstan thiết lập quan hệ ngoại giao",
    "strategic partnership",
    "Biển Đông",
    "to lam tham kazakhstan",
    "ASEAN Korea plan of action completion",
    "US investment ASEAN",
    "chuyen bay thang",
    "diplomatc relatons 1992",
]


def toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def generate(n: int, folder: Path, seed: int = 1) -> None:
    """Write n synthetic facts, 1,000 a file, cloned from the real base."""
    from dipfacts.base.load import load_base

    rng = random.Random(seed)
    real = load_base().facts
    folder.mkdir(parents=True, exist_ok=True)
    per_file = 1000
    for start in range(0, n, per_file):
        lines = []
        for i in range(start, min(n, start + per_file)):
            f = real[rng.randrange(len(real))]
            year = rng.randrange(1990, 2030)
            shuffle = str(rng.randrange(1, 999))
            text = " ".join(shuffle if w.isdigit() and rng.random() < 0.5 else w for w in f.text.split(" "))
            text_vi = " ".join(
                shuffle if w.isdigit() and rng.random() < 0.5 else w for w in f.text_vi.split(" ")
            )
            lines += [
                "[[fact]]",
                f'id = "synthetic/{f.kind}/{i}"',
                f'kind = "{f.kind}"',
                f'date = "{year}"',
                "relations = [" + ", ".join(toml_string(r) for r in f.relations) + "]",
                "topics = [" + ", ".join(toml_string(t) for t in f.topics) + "]",
                "entities = [" + ", ".join(toml_string(e) for e in f.entities) + "]",
                f"text = {toml_string(text)}",
                f"text_vi = {toml_string(text_vi)}",
            ]
            if f.value is not None:
                amount = max(1, int(f.value.amount * rng.uniform(0.5, 1.5)))
                lines.append(
                    f"value = {{ amount = {amount}, unit = {toml_string(f.value.unit)}, "
                    f"metric = {toml_string(f.value.metric)} }}"
                )
            for c in f.citations:
                lines += [
                    "",
                    "[[fact.cite]]",
                    f"source = {toml_string(c.source)}",
                    f"quote = {toml_string(c.quote)}",
                ]
            lines.append("")
        (folder / f"synthetic-{start // per_file:04d}.toml").write_text("\n".join(lines), encoding="utf-8")


def measure_warm(folder: str | None) -> dict[str, float]:
    """In a fresh process with the cache written: load it and answer the query mix; peak memory."""
    import resource

    from dipfacts.base.files import base_files
    from dipfacts.search import cache
    from dipfacts.search.rank import search

    index = cache.read(cache.cache_key(base_files([folder] if folder else [])))
    assert index is not None
    for q in QUERIES:
        [index.fact(h.doc) for h in search(index, q, limit=10).hits]
    return {"warm_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(folder: str | None) -> dict[str, float]:
    """In this process: build, cache write, cached load, query latency, peak memory."""
    import resource

    from dipfacts.base.load import base_files
    from dipfacts.search import cache
    from dipfacts.search.index import index_files
    from dipfacts.search.rank import search

    files = base_files([folder] if folder else [])
    t1 = time.perf_counter()
    index = index_files(files)  # as the CLI does: parsing and indexing interleave (facts packed as read)
    t2 = time.perf_counter()
    key = cache.cache_key(files)
    cache.write(key, index)
    del index
    t3 = time.perf_counter()
    index = cache.read(key)
    t4 = time.perf_counter()
    assert index is not None
    # One untimed round first: it pays what a process pays once (importing numpy and rapidfuzz,
    # grouping terms by length for typo candidates). That first-query cost is in the CLI column.
    for q in QUERIES:
        search(index, q, limit=10)
    latencies = []
    for _ in range(ROUNDS):
        for q in QUERIES:
            index._facts.clear()  # as in a fresh CLI process: no fact decoded yet
            index._records.clear()
            s = time.perf_counter()
            search(index, q, limit=10)
            latencies.append((time.perf_counter() - s) * 1000)
    latencies.sort()
    return {
        "facts": len(index),
        "build_s": t2 - t1,
        "cached_load_s": t4 - t3,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def wall(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def cli_ratio(folder: str | None, env: dict[str, str], runs: int = 21) -> tuple[float, float, float]:
    """Median CLI wall time (warm cache) and the import floor, interleaved; and their ratio."""
    cmd = [sys.executable, "-m", "dipfacts", "search", "Kazakhstan trade", "-f", "tsv"] + (
        ["--facts", folder] if folder else []
    )
    floor = [sys.executable, "-c", "import typer, rich, rapidfuzz"]
    wall(cmd, env)  # warm the cache
    ours, base = [], []
    for _ in range(runs):
        ours.append(wall(cmd, env))
        base.append(wall(floor, env))
    o, b = statistics.median(ours), statistics.median(base)
    return o, b, o / b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: measure one folder in this process
    parser.add_argument("--measure-warm", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure or None)))
        return
    if args.measure_warm is not None:
        print(json.dumps(measure_warm(args.measure_warm or None)))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DIPFACTS_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("DIPFACTS_FACTS", None)
        env.pop(
            "PYTHONDONTWRITEBYTECODE", None
        )  # as on a user's machine: modules compiled once, not every run
        for size in [0, *args.sizes]:
            folder = ""
            if size:
                folder = str(Path(tmp) / f"base-{size}")
                generate(size, Path(folder))
            out = subprocess.run(
                [sys.executable, __file__, "--measure", folder],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout)
            warm = subprocess.run(
                [sys.executable, __file__, "--measure-warm", folder],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            result.update(json.loads(warm.stdout))
            result["cli_s"], result["floor_s"], result["ratio"] = cli_ratio(folder or None, env)
            result["label"] = "real base" if not size else f"{size:,} synthetic"
            rows.append(result)
            print(json.dumps(result), file=sys.stderr)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; medians of interleaved runs.\n")
    print(
        "| base | facts | parse + build | cached load | query p50 | query p95 | peak RSS, build "
        "| peak RSS, search | CLI (warm cache) | import floor | CLI / floor |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['label']} | {r['facts']:,} | {r['build_s']:.2f} s | {r['cached_load_s'] * 1000:.0f} ms | "
            f"{r['p50_ms']:.2f} ms | {r['p95_ms']:.2f} ms | {r['max_rss_mb']:.0f} MB | "
            f"{r['warm_rss_mb']:.0f} MB | {r['cli_s'] * 1000:.0f} ms | "
            f"{r['floor_s'] * 1000:.0f} ms | {r['ratio']:.2f}× |"
        )


if __name__ == "__main__":
    main()
