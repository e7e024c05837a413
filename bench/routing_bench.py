"""Routing throughput: decisions per second on 100,000 texts, and peak memory.

Texts are the two test corpora, recombined (two complaints glued together,
prefixes and suffixes people add, full-width digits) so that no two in a row
are the same. Run with `make bench`.
"""

from __future__ import annotations

import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from complaints.routing.engine import Draft, Router  # noqa: E402
from complaints.routing.table import load_routing_table  # noqa: E402
from tests.unit import routing_corpus, routing_corpus_second  # noqa: E402

COUNT = 100_000
PREFIXES = ["", "你好，", "领导好！", "来电人称：", "我要举报，", "喂 "]
SUFFIXES = ["", "。谢谢", "，请尽快处理！！", " 电话13805961234", "。。。"]


def texts(count: int) -> list[str]:
    rng = random.Random(20261128)
    base = [case["text"] for case in routing_corpus.CASES + routing_corpus_second.CASES]
    out = []
    for _ in range(count):
        text = rng.choice(base)
        if rng.random() < 0.3:
            text += rng.choice(base)
        out.append(rng.choice(PREFIXES) + text + rng.choice(SUFFIXES))
    return out


def main() -> None:
    started = time.perf_counter()
    router = Router(load_routing_table())
    built = time.perf_counter() - started
    started = time.perf_counter()
    if router.learned is not None:
        router.learned.warm()  # once per process: not part of any decision
    trained = time.perf_counter() - started
    corpus = texts(COUNT)
    average = sum(map(len, corpus)) / len(corpus)

    tracemalloc.start()
    started = time.perf_counter()
    for text in corpus:
        router.route(Draft(text))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Again without tracemalloc, which slows allocation-heavy code.
    started = time.perf_counter()
    for text in corpus:
        router.route(Draft(text))
    untraced = time.perf_counter() - started

    # One decision at a time, for the tail: the p99 a request would see.
    single = []
    for text in corpus[:10_000]:
        began = time.perf_counter()
        router.route(Draft(text))
        single.append(time.perf_counter() - began)
    single.sort()

    print(f"routing: {COUNT} texts, {average:.0f} characters on average")
    print(f"  table compiled in {built * 1000:.1f} ms")
    print(f"  learned fallback trained in {trained * 1000:.0f} ms")
    print(f"  {COUNT / untraced:,.0f} decisions/s on one core ({untraced:.2f} s)")
    print(f"  one decision: median {single[len(single) // 2] * 1e6:.0f} us, "
          f"p99 {single[int(len(single) * 0.99)] * 1e6:.0f} us (goal: under 1 ms)")
    print(f"  {COUNT / elapsed:,.0f} decisions/s under tracemalloc")
    print(f"  peak traced memory while routing: {peak / 1024:.0f} KiB")
    print(f"  process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
