"""A synthetic fact pack of any size, valid against the schema, for load and search benchmarks.

Every kind of record is generated (organisations, people, places, figures, statements, events) and
they reference each other the way the real pack does: leaders and members, places within places,
figures stated by people about organisations, statements about figures, events with actors and a
place. The pack is deterministic for a given size and seed.

Each record's English summary carries a token `refNNN` (NNN = record number modulo 500) so that a
search benchmark can type a query whose result count changes on every keystroke.

    python benchmarks/synthpack.py DIR [--records N]     # then: stargate-tui check DIR
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

#: Share of each kind in the pack (sums to 1).
MIX: tuple[tuple[str, float], ...] = (
    ("organisations", 0.12),
    ("people", 0.18),
    ("places", 0.10),
    ("figures", 0.22),
    ("statements", 0.20),
    ("events", 0.18),
)
PREFIX = {
    "organisations": "org",
    "people": "person",
    "places": "place",
    "figures": "fig",
    "statements": "stmt",
    "events": "event",
}
PER_FILE = 1000
PARAGRAPHS = 10
REF_MODULO = 500
#: The query the search benchmark types; its prefix `ref04` matches ten times as many records.
SEARCH_QUERY = "ref042"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_WORDS_EN = _words(
    "capacity data centre power grid investment fund venture cloud chip model training cluster site "
    "land water cooling contract partner board shares market pledge loan bond tariff policy order "
    "agency region state city campus turbine cable fibre network storage research lab compute"
)
_WORDS_FR = _words(
    "capacité centre données réseau électrique investissement fonds coentreprise nuage puce modèle "
    "entraînement grappe site terrain eau refroidissement contrat partenaire conseil actions marché "
    "engagement prêt obligation droit politique décret agence région état ville campus turbine câble "
    "fibre stockage recherche laboratoire calcul société énergie"
)
_SYLLABLES = _words("ka lo mi ra ten vo zu ne sha pri dal gor fen ix tor bel qua sun mar lin")
_FIRST = _words("Ada Bruno Chloé Dmitri Elif Farah Gustavo Hana Ivo Jun Keira Lars Mei Nadia Omar Priya")
_LAST = _words("Akana Berg Costa Dubois Eriksen Fujita Garcia Haddad Ivanova Jensen Kowalski Laurent")
_STATUS = ("announced", "pledged", "estimated", "claimed", "reported", "fact")


@dataclass
class Generated:
    directory: Path
    records: int
    files: int
    counts: dict[str, int]


class _Gen:
    def __init__(self, total: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counts = _split(total)
        self.ids = {
            section: [f"{PREFIX[section]}-{i:05d}" for i in range(n)] for section, n in self.counts.items()
        }
        self.serial = 0  # running record number, for the search token

    # -- small pieces -----------------------------------------------------------------------

    def words(self, n: int, lang: str) -> str:
        pool = _WORDS_FR if lang == "fr" else _WORDS_EN
        return " ".join(self.rng.choice(pool) for _ in range(n))

    def text(self, n: int) -> dict[str, str]:
        return {"en": self.words(n, "en").capitalize(), "fr": self.words(n, "fr").capitalize()}

    def name(self) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()

    def source(self) -> Any:
        def one() -> dict[str, Any]:
            return {"paragraph": self.rng.randint(1, PARAGRAPHS), "quote": self.words(4, "fr")}

        return one() if self.rng.random() < 0.7 else [one() for _ in range(self.rng.randint(2, 3))]

    def pick(self, section: str, k: int = 1, avoid: str = "") -> list[str]:
        pool = self.ids[section]
        if not pool:
            return []
        picked = {self.rng.choice(pool) for _ in range(k)}
        picked.discard(avoid)
        return sorted(picked)

    def actor(self) -> str:
        section = "people" if self.rng.random() < 0.6 and self.ids["people"] else "organisations"
        return self.pick(section)[0]

    def anything(self, k: int, avoid: str) -> list[str]:
        out: set[str] = set()
        for _ in range(k):
            section = self.rng.choice([s for s, ids in self.ids.items() if ids])
            out.update(self.pick(section, 1, avoid))
        return sorted(out)

    def date(self) -> dict[str, Any]:
        year = self.rng.randint(2018, 2026)
        month = self.rng.randint(1, 12)
        day = self.rng.randint(1, 28)
        precision = self.rng.choice(("day", "day", "month", "year"))
        iso = {"day": f"{year}-{month:02d}-{day:02d}", "month": f"{year}-{month:02d}", "year": f"{year}"}
        return {
            "stated": {"en": f"on {iso[precision]}", "fr": f"le {iso[precision]}"},
            "iso": iso[precision],
            "precision": precision,
            "approximate": self.rng.random() < 0.1,
            "basis": self.text(6),
        }

    def common(self, section: str, index: int) -> dict[str, Any]:
        record_id = self.ids[section][index]
        self.serial += 1
        return {"id": record_id}

    def summary(self) -> dict[str, str]:
        token = f"ref{self.serial % REF_MODULO:03d}"
        return {
            "en": f"{self.words(18, 'en').capitalize()} ({token}).",
            "fr": self.words(18, "fr").capitalize(),
        }

    def tail(self, record: dict[str, Any], record_id: str) -> dict[str, Any]:
        record["source"] = self.source()
        if self.rng.random() < 0.15:
            record["background"] = [{"note": self.text(8), "basis": self.text(5)}]
        related = self.anything(self.rng.randint(0, 2), record_id)
        if related:
            record["related"] = related
        return record

    # -- records ----------------------------------------------------------------------------

    def organisations(self, i: int) -> dict[str, Any]:
        r = self.common("organisations", i)
        r |= {
            "name": f"{self.name()} {self.rng.choice(('Systems', 'Capital', 'Energy', 'Labs', 'Group'))}",
            "kind": self.rng.choice(("company", "fund", "government", "agency", "institution", "other")),
            "role": self.text(6),
            "summary": self.summary(),
        }
        countries = self.ids["places"][: max(1, len(self.ids["places"]) // 20)]
        if countries:
            r["country"] = self.rng.choice(countries)
        leaders = self.pick("people", self.rng.randint(0, 2))
        if leaders:
            r["leaders"] = leaders
        return self.tail(r, r["id"])

    def people(self, i: int) -> dict[str, Any]:
        r = self.common("people", i)
        r |= {
            "name": f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)} {self.name()}",
            "role": self.text(5),
            "summary": self.summary(),
        }
        orgs = self.pick("organisations", self.rng.randint(0, 2))
        if orgs:
            r["organisations"] = orgs
        return self.tail(r, r["id"])

    def places(self, i: int) -> dict[str, Any]:
        r = self.common("places", i)
        n_countries = max(1, len(self.ids["places"]) // 20)
        kind = "country" if i < n_countries else self.rng.choice(("region", "state", "city", "site"))
        r |= {
            "name": {"en": f"{self.name()} {kind}", "fr": f"{self.name()} ({kind})"},
            "kind": kind,
            "role": self.text(6),
            "summary": self.summary(),
            "coordinates": {
                "lat": round(self.rng.uniform(-60, 70), 2),
                "lon": round(self.rng.uniform(-170, 175), 2),
                "basis": self.text(5),
            },
        }
        if i >= n_countries:
            r["within"] = self.rng.choice(self.ids["places"][:i])
        return self.tail(r, r["id"])

    def figures(self, i: int) -> dict[str, Any]:
        r = self.common("figures", i)
        unit = self.rng.choice(("USD", "USD", "USD", "EUR", "jobs", "GW", "percent"))
        value: dict[str, Any] = {"unit": unit}
        cents = self.rng.randint(100, 10_000)  # 1.00 to 100.00
        amount = cents * 10_000_000 if unit in ("USD", "EUR") else cents / 100
        if self.rng.random() < 0.15:
            value |= {"bound": "range", "low": amount, "high": amount * 2}
        else:
            value |= {"bound": self.rng.choice(("exact", "about", "at-least", "up-to")), "amount": amount}
        r |= {
            "label": self.text(5),
            "value": value,
            "status": self.rng.choice(_STATUS),
            "summary": self.summary(),
            "stated_by": self.actor(),
            "subjects": self.anything(self.rng.randint(1, 3), r["id"]),
        }
        if self.rng.random() < 0.5:
            r["date"] = self.date()
        if i > 0 and self.rng.random() < 0.1:
            r["part_of"] = self.rng.choice(self.ids["figures"][:i])
        return self.tail(r, r["id"])

    def statements(self, i: int) -> dict[str, Any]:
        r = self.common("statements", i)
        r |= {
            "kind": self.rng.choice(("quotation", "claim", "statement", "announcement")),
            "speaker": self.actor(),
            "label": self.text(5),
            "text": self.text(14),
            "status": self.rng.choice(_STATUS),
            "about": self.anything(self.rng.randint(1, 3), r["id"]),
        }
        if self.rng.random() < 0.5:
            r["date"] = self.date()
        return self.tail(r, r["id"])

    def events(self, i: int) -> dict[str, Any]:
        r = self.common("events", i)
        r |= {
            "kind": self.rng.choice(
                ("announcement", "pledge", "market", "policy", "publication", "construction", "other")
            ),
            "title": self.text(5),
            "date": self.date(),
            "status": self.rng.choice(_STATUS),
            "summary": self.summary(),
            "actors": sorted({self.actor() for _ in range(self.rng.randint(1, 3))}),
            "place": self.pick("places")[0],
        }
        return self.tail(r, r["id"])


def _split(total: int) -> dict[str, int]:
    if total < len(MIX):
        raise ValueError(f"a synthetic pack needs at least {len(MIX)} records")
    counts = {section: max(1, int(total * share)) for section, share in MIX}
    counts["figures"] += total - sum(counts.values())  # rounding remainder
    return counts


def generate(directory: Path | str, records: int = 10_000, *, seed: int = 2025) -> Generated:
    """Write a valid pack of exactly `records` records into `directory` (created if needed)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    gen = _Gen(records, seed)
    pack = {
        "pack": {
            "id": f"synthetic-{records}",
            "title": {"en": f"Synthetic pack of {records} records", "fr": f"Pack synthétique de {records}"},
            "summary": {
                "en": "A generated pack for benchmarks: every kind of record, cross-referenced.",
                "fr": "Un pack généré pour les mesures : tous les types d'éléments, reliés entre eux.",
            },
            "article": {
                "title": {"en": "No article", "fr": "Pas d'article"},
                "language": "fr",
                "date": "2025-01",
                "paragraphs": PARAGRAPHS,
            },
        }
    }
    _dump(directory / "pack.yaml", pack)
    files = 1
    for section, count in gen.counts.items():
        make = getattr(gen, section)
        for start in range(0, count, PER_FILE):
            items = [make(i) for i in range(start, min(count, start + PER_FILE))]
            _dump(directory / f"{section}-{start // PER_FILE:03d}.yaml", {section: items})
            files += 1
    return Generated(directory, sum(gen.counts.values()), files, dict(gen.counts))


def _dump(path: Path, data: dict[str, Any]) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    made = generate(args.directory, args.records, seed=args.seed)
    print(f"{made.directory}: {made.records} records in {made.files} files")


if __name__ == "__main__":
    main()
