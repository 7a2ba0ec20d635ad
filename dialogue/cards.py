"""Fictional persons for the database game: invented names and values, half found work.

Values are drawn from ranges per outcome (data.yaml) that overlap, so a pattern shows up in the
group while single persons contradict it. Nothing here reads an extract."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.texts import Texts, format_number, load_yaml, pick

HERE = Path(__file__).parent
TEXTS = Texts(HERE / "texts.yaml")


def data() -> dict:
    return load_yaml(HERE / "data.yaml")


@dataclass
class Person:
    name: str
    found_work: bool
    values: dict          # attribute -> value (number or choice key)


def persons(n: int = 12, seed: int = 2018) -> list[Person]:
    """`n` invented persons (half found work, the first of an odd number did), unique names."""
    conf = data()
    rng = np.random.default_rng(seed)
    names = set()
    out = []
    for i in range(n):
        while True:
            name = f"{rng.choice(conf['initials'])}. {rng.choice(conf['surnames'])}"
            if name not in names or len(names) >= len(conf["initials"]) * len(conf["surnames"]):
                break
        names.add(name)
        found = i % 2 == 0
        values = {}
        for key, spec in conf["attributes"].items():
            if "choices" in spec:
                values[key] = str(rng.choice(spec["choices"]))
                continue
            low, high = spec["work" if found else "none"]
            step = spec.get("step", 1)
            values[key] = int(rng.integers(low // step, high // step + 1)) * step
        out.append(Person(name, found, values))
    order = rng.permutation(n)
    return [out[i] for i in order]


def value_text(attribute: str, value, lang: str) -> str:
    if isinstance(value, str):
        return pick(data()["choice_labels"].get(value, value), lang)
    return format_number(int(value), lang)


def cards_of(person: Person, lang: str) -> list[dict]:
    """One card per characteristic: label, value and source."""
    conf = data()
    return [{"attribute": key, "label": pick(spec["label"], lang), "value": value_text(key, person.values[key], lang),
             "source": spec["source"]} for key, spec in conf["attributes"].items()]
