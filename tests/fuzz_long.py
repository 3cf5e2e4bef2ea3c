"""The long fuzz run of issue 7: ``python tests/fuzz_long.py --count 100000``.

Tries COUNT inputs split over four generators (grammar, mutated examples, random op/shape
programs, junk bytes), each judged in process by tests/fuzz/oracle.py; every
``--cli-every``-th input also goes through the real ``gradcli`` command. Prints how
many inputs each generator tried and what failed; each failing input is saved under
``--out`` with the reason next to it. Exit status 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

try:
    import resource
except ImportError:  # not on Windows: no memory bound there
    resource = None

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz import mutate, ops  # noqa: E402
from fuzz.oracle import check_cli, check_in_process  # noqa: E402

# Grammar inputs cost ~0.1 s each to draw (Hypothesis' engine), the others ~2 ms.
SHARES = {"grammar": 0.08, "mutated": 0.42, "ops": 0.30, "bytes": 0.20}
PLAIN = {"mutated": mutate.mutated_program, "ops": ops.op_program, "bytes": mutate.random_bytes}


class Tally:
    def __init__(self, out: Path, cli_every: int, workdir: Path):
        self.out = out
        self.cli_every = cli_every
        self.workdir = workdir
        self.tried: dict[str, int] = {}
        self.kinds: dict[str, dict[str, int]] = {}
        self.failures: dict[str, int] = {}
        self.cli_runs = 0

    def judge(self, generator: str, source: bytes) -> None:
        n = self.tried[generator] = self.tried.get(generator, 0) + 1
        verdict = check_in_process(source)
        kinds = self.kinds.setdefault(generator, {})
        kinds[verdict.kind] = kinds.get(verdict.kind, 0) + 1
        if not verdict.ok:
            self.fail(generator, source, "in-process: " + verdict.detail)
        if self.cli_every and n % self.cli_every == 0:
            self.cli_runs += 1
            v = check_cli(source, self.workdir)
            if not v.ok:
                self.fail(generator, source, "cli: " + v.detail)

    def fail(self, generator: str, source: bytes, detail: str) -> None:
        key = detail.split("(", 1)[0][:120]  # one file per kind of failure is enough
        self.failures[key] = self.failures.get(key, 0) + 1
        if self.failures[key] > 3:
            return
        digest = hashlib.sha1(source).hexdigest()[:12]
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / f"{generator}-{digest}.py").write_bytes(source)
        (self.out / f"{generator}-{digest}.txt").write_text(detail + "\n")
        print(f"FAIL [{generator}] {detail[:300]}  -> {self.out / f'{generator}-{digest}.py'}", flush=True)


def run_plain(tally: Tally, name: str, count: int, seed: int) -> None:
    rng = random.Random(f"{seed}-{name}")
    make = PLAIN[name]
    for _ in range(count):
        tally.judge(name, make(rng))


def run_grammar(tally: Tally, count: int, seed: int) -> None:
    from hypothesis import HealthCheck, Phase, given, seed as hseed, settings

    from fuzz.grammar import program_strategy

    @hseed(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(program_strategy())
    def each(program: str) -> None:
        tally.judge("grammar", program.encode())

    each()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="inputs in all (default 100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=sorted(SHARES), action="append",
                        help="run only these generators (repeatable)")
    parser.add_argument("--cli-every", type=int, default=500,
                        help="also run every N-th input through the gradcli command (0: never)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    parser.add_argument("--memory-gb", type=float, default=4.0,
                        help="address space for this process (default 4): an op that allocates far past "
                             "--max-elements fails with MemoryError, reported, instead of meeting the OOM killer")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if args.memory_gb and resource is not None:
        limit = int(args.memory_gb * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    names = args.only or list(SHARES)
    total_share = sum(SHARES[n] for n in names)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        tally = Tally(args.out, args.cli_every, Path(tmp))
        for name in names:
            count = round(args.count * SHARES[name] / total_share)
            t0 = time.monotonic()
            if name == "grammar":
                run_grammar(tally, count, args.seed)
            else:
                run_plain(tally, name, count, args.seed)
            print(f"{name}: {tally.tried.get(name, 0)} inputs in {time.monotonic() - t0:.0f}s "
                  f"{dict(sorted(tally.kinds.get(name, {}).items()))}", flush=True)
    tried = sum(tally.tried.values())
    failed = sum(tally.failures.values())
    print(f"total: {tried} inputs ({tally.cli_runs} also through the gradcli command) in "
          f"{time.monotonic() - started:.0f}s; {failed} failed in {len(tally.failures)} kinds"
          + (f"; inputs saved in {args.out}/" if failed else "; nothing found"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
