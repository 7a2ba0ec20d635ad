"""The arms of an organisation: the values of `referrals.department` (a department, route,
team or programme of the municipality's own), merged as the user says, and the reference arm
the other arms are compared with. Shared by the quality check `referral.unknown_department`
and the caseworker design, so both call the same values too rare to be an arm.

- Values are trimmed; values equal but for upper/lower case are one arm, spelled as the user's
  merge names it, as Rotterdam spells its departments, else as most referrals spell it.
- `ArmChoice.merge` (mapping file `arms:`, the design page): source value -> arm; values not
  listed keep their name.
- A value with a smaller share of the clients (referrals) than `min_share` (core/arms.yaml)
  is too rare to be an arm (`too_rare`); the design leaves its clients out.
- Reference: the one given (command line `--reference`, design page), else the mapping's
  `reference`, else Prematching when Rotterdam's departments are present, else the arm with
  the most clients. `Arms.basis` says which.
- Order: Rotterdam's (Matching, Prematching, Activering) when every arm is Rotterdam's, else by
  clients (most first), then by name.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.canonical import DEPARTMENTS
from core.errors import UserInputError
from core.texts import load_yaml

ROTTERDAM_REFERENCE = "Prematching"


def rare_share() -> float:
    """The share of the clients (referrals) a value needs to be an arm (core/arms.yaml)."""
    return float(load_yaml(Path(__file__).with_name("arms.yaml"))["min_share"])


def too_rare(counts: pd.Series) -> pd.Series:
    """Per value (index of `counts`, its number of clients or referrals): too rare to be an arm.
    Only a share: in a small municipality every arm is small, and none is rare."""
    return counts < rare_share() * counts.sum()


@dataclass(frozen=True)
class ArmChoice:
    """What the user said about the arms (hashable: part of the design options)."""
    merge: tuple[tuple[str, str], ...] = ()   # (source value, arm)
    reference: str | None = None
    basis: str = "given"                      # where `reference` comes from: given | mapping

    @classmethod
    def of(cls, merge: dict | None = None, reference: str | None = None, basis: str = "given") -> "ArmChoice":
        """Without a reference the basis says nothing (resolve_arms), so it is the default: the
        same choice is the same options (a cached analysis is not computed again)."""
        pairs = tuple((str(k), str(v)) for k, v in (merge or {}).items())
        return cls(pairs, str(reference), basis) if reference else cls(pairs)


@dataclass(frozen=True)
class Arms:
    names: tuple[str, ...]     # every arm compared, in display order
    reference: str             # "" when there is no arm at all
    basis: str                 # given | mapping | rotterdam | largest | none
    rare: tuple[str, ...] = ()  # values too rare to be an arm (their clients are left out)

    @property
    def treated(self) -> tuple[str, ...]:
        return tuple(a for a in self.names if a != self.reference)


def arm_of(values: pd.Series, merge: tuple[tuple[str, str], ...] = ()) -> pd.Series:
    """The arm of every value (NA where blank): merged, trimmed, one spelling per arm."""
    text = values.astype("string").str.strip()
    text = text.mask(text == "")
    merged = {source.strip().casefold(): arm.strip() for source, arm in merge}
    spelling = {arm.casefold(): arm for arm in merged.values()}
    for name in (*DEPARTMENTS, *text.value_counts().index):
        spelling.setdefault(str(name).casefold(), str(name))
    lookup = {}   # per distinct value (a column of millions of rows has few)
    for value in text.dropna().unique():
        arm = merged.get(value.casefold(), value)
        lookup[value] = spelling.get(arm.casefold(), arm)
    return text.astype(object).map(lookup)


def known_values(values: pd.Series, merge: dict | None = None) -> set[str]:
    """The (trimmed) values of referrals.department that name an arm: whose arm, after the
    merges of `merge` (the mapping file's `arms:`), is not too rare (`too_rare` over the rows).
    So a rare spelling listed under `arms:` is known, and a common unlisted value is an arm of
    its own name. Counted per distinct value, so ten million rows cost one `value_counts`."""
    text = values.astype("string").str.strip()
    rows = text[text != ""].value_counts()
    arms = arm_of(pd.Series(rows.index, dtype=object), tuple((str(k), str(v)) for k, v in (merge or {}).items()))
    per_arm = pd.Series(rows.to_numpy(), index=arms.to_numpy()).groupby(level=0).sum()
    common = set(per_arm.index[~too_rare(per_arm)])
    return {str(v) for v, arm in zip(rows.index, arms) if arm in common}


def department_values(referrals: pd.DataFrame) -> list[str]:
    """The trimmed values of referrals.department, most referrals first (for choosing arms)."""
    if "department" not in referrals:
        return []
    text = referrals["department"].astype("string").str.strip()
    return [str(v) for v in text[text.notna() & (text != "")].value_counts().index]


def arm_names(values: list[str], merge: dict[str, str]) -> list[str]:
    """The arms `values` make after the merges of `merge`, in the order they first appear."""
    pairs = tuple(merge.items())
    return list(dict.fromkeys(arm_of(pd.Series(values, dtype=object), pairs).dropna()))


def _rank(counts: pd.Series) -> list[str]:
    names = [str(n) for n in counts.index]
    if set(names) <= set(DEPARTMENTS):
        return [d for d in DEPARTMENTS if d in names]
    return sorted(names, key=lambda n: (-int(counts[n]), n))


def resolve_arms(arms: pd.Series, choice: ArmChoice) -> Arms:
    """The arms of the clients' arms `arms` (one value per client, NA: none) and the reference."""
    counts = arms.dropna().value_counts()
    rare = too_rare(counts)
    kept, rare = counts[~rare], counts[rare]
    names = _rank(kept)
    by_fold = {n.casefold(): n for n in names}
    if choice.reference:
        reference = by_fold.get(choice.reference.strip().casefold())
        if reference is None:
            raise UserInputError("design_unknown_reference", reference=choice.reference,
                                 arms=", ".join(names) or "-")
        basis = choice.basis
    elif ROTTERDAM_REFERENCE in names:
        reference, basis = ROTTERDAM_REFERENCE, "rotterdam"
    elif names:
        reference, basis = sorted(names, key=lambda n: (-int(kept[n]), n))[0], "largest"
    else:
        reference, basis = "", "none"
    return Arms(tuple(names), reference, basis, tuple(_rank(rare)))
