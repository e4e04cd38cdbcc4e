"""Institutions and people: filters, nearest first from the terminal, detail pages with links."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import peewee as pw

from kiosk.services._rows import fk, tuples
from kiosk.services.links import map_url, tel_url
from kiosk.store.db import require_bound
from kiosk.store.models import (
    INSTITUTION_TYPES,
    PERSON_ROLES,
    Institution,
    IntegrityRecord,
    Person,
    Region,
)


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


def distance_km(a: Location, lat: float, lon: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    r = 6371.0088
    p1, p2 = math.radians(a.latitude), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lon - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def format_distance(km: float | None) -> str:
    if km is None:
        return ""
    if km < 1:
        return f"{round(km * 1000 / 10) * 10:.0f} 米"
    return f"{km:.1f} 公里"


@dataclass(frozen=True)
class InstitutionSummary:
    id: int
    name: str
    type: str
    area: str  # 孝南区 · 书院街道
    address: str
    phone: str | None
    distance_km: float

    @property
    def distance_text(self) -> str:
        return format_distance(self.distance_km)


@dataclass(frozen=True)
class IntegrityView:
    kind: str  # 表彰 / 惩戒
    date: dt.date
    title: str
    issuer: str
    detail: str | None


@dataclass(frozen=True)
class PersonSummary:
    id: int
    name: str
    role: str
    institution: str | None
    specialties: list[str]
    practice_status: str
    years: int | None
    distance_km: float | None

    @property
    def distance_text(self) -> str:
        return format_distance(self.distance_km)


@dataclass(frozen=True)
class InstitutionDetail:
    summary: InstitutionSummary
    hours: str | None
    services: list[str]
    description: str | None
    latitude: float
    longitude: float
    staff: list[PersonSummary]
    integrity: list[IntegrityView]
    map_url: str
    tel_url: str | None
    is_sample: bool


@dataclass(frozen=True)
class PersonDetail:
    summary: PersonSummary
    gender: str | None
    licence_no: str | None
    phone: str | None
    institution_id: int | None
    integrity: list[IntegrityView]
    tel_url: str | None
    map_url: str | None
    is_sample: bool


class DirectoryService:
    def __init__(self, db: pw.Database, here: Location):
        require_bound(db, "DirectoryService")  # its queries run on the models' binding: it must be this db
        self.db = db
        self.here = here
        self._region_names: dict[str, str] | None = None

    def forget_cached(self) -> None:
        """A sync committed new content: region names are read again."""
        self._region_names = None

    # --- filter choices ---------------------------------------------------------------------------

    @staticmethod
    def institution_types() -> list[str]:
        present = {t for (t,) in tuples(Institution.select(Institution.type).distinct())}
        return [t for t in INSTITUTION_TYPES if t in present]

    @staticmethod
    def person_roles() -> list[str]:
        present = {r for (r,) in tuples(Person.select(Person.role).distinct())}
        return [r for r in PERSON_ROLES if r in present]

    def areas(self) -> list[tuple[str, str]]:
        """(region code, name) of the counties that have institutions, nearest county first."""
        codes = {c for (c,) in tuples(Institution.select(Institution.region_code).distinct())}
        rows = tuples(
            Region.select(Region.code, Region.name, Region.latitude, Region.longitude).where(
                Region.code.in_(list(codes))
            )
        )
        found = sorted(rows, key=lambda r: distance_km(self.here, r[2], r[3]))
        return [(code, name) for code, name, _lat, _lon in found]

    @staticmethod
    def specialties() -> list[str]:
        counts: dict[str, int] = {}
        for (items,) in tuples(Person.select(Person.specialties)):
            for item in items or []:
                counts[item] = counts.get(item, 0) + 1
        return [name for name, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def region_name(self, code: str) -> str:
        if self._region_names is None:
            self._region_names = {c: n for c, n in tuples(Region.select(Region.code, Region.name))}
        return self._region_names.get(code, code)

    # --- lists ------------------------------------------------------------------------------------

    def _summary(self, inst: Institution) -> InstitutionSummary:
        area = " · ".join(p for p in (self.region_name(inst.region_code), inst.town) if p)
        return InstitutionSummary(
            inst.id,
            inst.name,
            inst.type,
            area,
            inst.address,
            inst.phone,
            distance_km(self.here, inst.latitude, inst.longitude),
        )

    def institutions(
        self,
        type_: str | None = None,
        region: str | None = None,
        types: list[str] | None = None,
        limit: int | None = None,
    ) -> list[InstitutionSummary]:
        """Institutions nearest first; ``types`` (any of) is used by guides' office lists."""
        query = Institution.select()
        if type_:
            query = query.where(Institution.type == type_)
        if types:
            query = query.where(Institution.type.in_(types))
        if region:
            query = query.where(Institution.region_code == region)
        found = sorted((self._summary(i) for i in query), key=lambda s: s.distance_km)
        return found[:limit] if limit else found

    def _person_summary(self, person: Person, inst: Institution | None) -> PersonSummary:
        dist = distance_km(self.here, inst.latitude, inst.longitude) if inst else None
        return PersonSummary(
            person.id,
            person.name,
            person.role,
            inst.name if inst else None,
            list(person.specialties or []),
            person.practice_status,
            person.years,
            dist,
        )

    def people(
        self, role: str | None = None, region: str | None = None, specialty: str | None = None
    ) -> list[PersonSummary]:
        """People in practice first, then nearest first (by their institution)."""
        query = Person.select(Person, Institution).join(Institution, pw.JOIN.LEFT_OUTER)
        if role:
            query = query.where(Person.role == role)
        if region:
            query = query.where(Institution.region_code == region)
        found = []
        for person in query:
            if specialty and specialty not in (person.specialties or []):
                continue
            inst = person.institution if fk(person, "institution") else None
            found.append(self._person_summary(person, inst))
        return sorted(
            found,
            key=lambda p: (p.practice_status != "执业", p.distance_km if p.distance_km is not None else 1e9, p.name),
        )

    # --- details ----------------------------------------------------------------------------------

    @staticmethod
    def _integrity(query: pw.Query) -> list[IntegrityView]:
        return [
            IntegrityView(r.kind, r.date, r.title, r.issuer, r.detail)
            for r in query.order_by(IntegrityRecord.date.desc())
        ]

    def institution(self, inst_id: int) -> InstitutionDetail:
        inst = Institution.get_by_id(inst_id)
        staff = [
            self._person_summary(p, inst)
            for p in Person.select().where(Person.institution == inst).order_by(Person.role, Person.name)
        ]
        integrity = self._integrity(IntegrityRecord.select().where(IntegrityRecord.institution == inst))
        return InstitutionDetail(
            self._summary(inst),
            inst.hours,
            list(inst.services or []),
            inst.description,
            inst.latitude,
            inst.longitude,
            staff,
            integrity,
            map_url(inst.latitude, inst.longitude, inst.name),
            tel_url(inst.phone),
            inst.is_sample,
        )

    def person(self, person_id: int) -> PersonDetail:
        person = Person.get_by_id(person_id)
        inst = person.institution if fk(person, "institution") else None
        integrity = self._integrity(IntegrityRecord.select().where(IntegrityRecord.person == person))
        phone = person.phone or (inst.phone if inst else None)
        return PersonDetail(
            self._person_summary(person, inst),
            person.gender,
            person.licence_no,
            phone,
            inst.id if inst else None,
            integrity,
            tel_url(phone),
            map_url(inst.latitude, inst.longitude, inst.name) if inst else None,
            person.is_sample,
        )


def nearest_by_type(
    directory: DirectoryService, wanted: list[tuple[str, list[str]]], regions: list[str] | None = None
) -> list[InstitutionSummary]:
    """For each (type, subject words): the nearest institution of the type, one whose name or
    services name the subject first (离婚: a 婚姻家庭 mediation committee, not the medical one);
    within ``regions`` (codes) when one there has the type (汉川法律援助: 汉川's own centre)."""
    out: list[InstitutionSummary] = []
    for type_, words in wanted:
        rows = list(Institution.select().where(Institution.type == type_))
        if not rows:
            continue
        local = [i for i in rows if i.region_code in (regions or [])]

        def rank(inst: Institution, words: list[str] = words) -> tuple[bool, float]:
            said = inst.name + " " + " ".join(str(s) for s in inst.services or [])
            subject = any(w in said for w in words)
            return (not subject, distance_km(directory.here, inst.latitude, inst.longitude))

        best = min(local or rows, key=rank)
        if all(best.id != o.id for o in out):
            out.append(directory._summary(best))
    return out


def regions_named(directory: DirectoryService, text: str) -> list[str]:
    """Codes of the regions whose name (or name without 市/县/区) the text mentions."""
    codes = []
    for code, name in tuples(Region.select(Region.code, Region.name)):
        stem = name.rstrip("市县区") if len(name) > 2 else name
        if name in text or (len(stem) >= 2 and stem in text):
            codes.append(code)
    return codes
