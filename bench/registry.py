"""The registry of generator steps. Later issues add their data (opinions…) as new steps.

A step is a function `(ctx: Context) -> None` registered with `@step(name, order=…)`. Steps run in
`order`; each one reads what earlier steps left in `ctx.world` and adds its own. To add a step,
put a module in bench/steps/ (every module there is imported) with e.g.

    from bench.registry import Context, step

    @step("opinions", order=300)
    def opinions(ctx: Context) -> None:
        n = ctx.scale(100)                       # 100 per 1,000 deputies (1,000,000 at 10,000)
        with ctx.progress(n, "opinions") as bar:
            for batch in ctx.batches(make_opinions(ctx, n)):
                Opinion.objects.bulk_create(batch)
                bar.update(len(batch))

Order ranges: 100–199 the foundation (issue 2), 200+ for later issues.
"""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from tqdm import tqdm

BATCH = 2000


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    func: Callable[["Context"], None]
    doc: str


STEPS: dict[str, Step] = {}


def step(name: str, *, order: int):
    def register(func: Callable[["Context"], None]) -> Callable[["Context"], None]:
        if name in STEPS:
            raise ValueError(f"generator step {name!r} is registered twice")
        STEPS[name] = Step(
            name=name, order=order, func=func, doc=(func.__doc__ or "").strip().split("\n")[0]
        )
        return func

    return register


def ordered_steps() -> list[Step]:
    return sorted(STEPS.values(), key=lambda s: (s.order, s.name))


@dataclass
class Context:
    """What every step gets: the target size, one seeded random source, the world built so far."""

    deputies: int
    seed: int
    quiet: bool = False
    rng: random.Random = field(init=False)
    world: SimpleNamespace = field(default_factory=SimpleNamespace)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def scale(self, per_thousand_deputies: float) -> int:
        """A row count proportional to the deputy count (the size knob every step shares)."""
        return max(1, round(self.deputies * per_thousand_deputies / 1000))

    def progress(self, total: int, desc: str) -> tqdm:
        return tqdm(
            total=total,
            desc=f"{desc:<22}",
            unit=" rows",
            disable=self.quiet,
            leave=True,
            dynamic_ncols=True,
            mininterval=0.5,
        )

    def count(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    @staticmethod
    def batches(items: Iterable, size: int = BATCH) -> Iterator[list]:
        batch: list = []
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch
