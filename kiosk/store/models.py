"""Peewee models of every content type the terminal shows.

The models name no database: a composition root binds them to the one it opened
(:func:`kiosk.store.db.bind_content_models`), and code working on a database handed to it binds them for
that call only (:func:`kiosk.store.db.bound_to`). List-valued fields are stored as JSON text so a row
stays self-contained and a sync package can carry it as-is.
"""

from __future__ import annotations

import json
from typing import Any

import peewee as pw


class JSONField(pw.TextField):
    """A list or dict kept as compact JSON text (Chinese stays readable in the file)."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)


class BaseModel(pw.Model):
    class Meta:
        database = None  # bound explicitly, see the module docstring
        legacy_table_names = False


class Meta(BaseModel):
    """Key/value facts about the content: schema version, content version and date."""

    key = pw.TextField(primary_key=True)
    value = pw.TextField()


# --- Laws -------------------------------------------------------------------------------------------


class Law(BaseModel):
    """One version of one legal document (a file of the LawRefBook folder)."""

    id = pw.AutoField()
    source = pw.TextField(unique=True)  # path relative to the imported folder
    title = pw.TextField(index=True)  # 中华人民共和国民法典·婚姻家庭编
    short_title = pw.TextField(index=True)  # 民法典·婚姻家庭编 / 劳动合同法
    group_key = pw.TextField(index=True)  # versions of one title share it
    level = pw.TextField(index=True)
    category = pw.TextField()  # the folder: 社会法, 部门规章/公安部, DLC/上海地方法规/...
    province = pw.TextField(null=True)  # for local regulations
    issuer = pw.TextField(null=True)
    history = JSONField(default=list)  # the history lines as printed
    promulgated = pw.DateField(null=True)
    amended = pw.DateField(null=True)
    effective = pw.DateField(null=True)
    version_date = pw.DateField(null=True)
    status = pw.TextField(index=True)
    is_current = pw.BooleanField(index=True)  # newest version of its title (even if repealed)
    article_count = pw.IntegerField(default=0)
    preamble = pw.TextField(null=True)  # text outside any article, such as the 宪法 序言
    digest = pw.TextField()  # sha256 of the source text: re-import of unchanged files is a no-op


class LawSection(BaseModel):
    """A heading inside a law: 编 / 分编 / 章 / 节 (depth 1..4 below the title)."""

    id = pw.AutoField()
    law = pw.ForeignKeyField(Law, backref="sections", on_delete="CASCADE")
    parent = pw.ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    depth = pw.IntegerField()
    kind = pw.TextField()  # 编 / 分编 / 章 / 节 / 部分
    label = pw.TextField()  # 第一章
    name = pw.TextField()  # 总则
    position = pw.IntegerField()


class Article(BaseModel):
    id = pw.AutoField()
    law = pw.ForeignKeyField(Law, backref="articles", on_delete="CASCADE")
    section = pw.ForeignKeyField(LawSection, null=True, on_delete="SET NULL")
    label = pw.TextField()  # 第十条之一
    number = pw.IntegerField()  # 10
    sub_number = pw.IntegerField(default=0)  # 1 for 之一
    position = pw.IntegerField()
    text = pw.TextField()  # paragraphs separated by "\n"

    class Meta:
        indexes = ((("law", "number", "sub_number"), False), (("law", "position"), True))

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n")


# --- Cases ------------------------------------------------------------------------------------------


class Case(BaseModel):
    id = pw.AutoField()
    key = pw.TextField(unique=True)
    kind = pw.TextField(index=True)  # 指导性案例 / 典型案例
    number = pw.IntegerField(null=True)  # guiding case number
    title = pw.TextField()
    court = pw.TextField(null=True)
    decided = pw.DateField(null=True)
    topic = pw.TextField(null=True)
    keywords = JSONField(default=list)
    sections = JSONField(default=list)  # [[heading, text], ...] in reading order
    source = pw.TextField()
    digest = pw.TextField()


class CaseCitation(BaseModel):
    id = pw.AutoField()
    case = pw.ForeignKeyField(Case, backref="citations", on_delete="CASCADE")
    law_title = pw.TextField()
    article_label = pw.TextField(null=True)
    article = pw.ForeignKeyField(Article, null=True, on_delete="SET NULL")


# --- Directory --------------------------------------------------------------------------------------

INSTITUTION_TYPES = (
    "律师事务所",
    "公证处",
    "法律援助中心",
    "人民调解委员会",
    "司法鉴定机构",
    "仲裁委员会",
    "公共法律服务中心",
    "公共法律服务工作站",
    "公共法律服务工作室",
    "基层法律服务所",
    "司法所",
)
PERSON_ROLES = ("律师", "公证员", "人民调解员", "司法鉴定人", "基层法律服务工作者", "仲裁员", "法律援助工作者")
PRACTICE_STATUSES = ("执业", "暂停执业", "注销")
INTEGRITY_KINDS = ("表彰", "惩戒")


class Institution(BaseModel):
    id = pw.AutoField()
    key = pw.TextField(unique=True)
    type = pw.TextField(index=True)
    name = pw.TextField()
    region_code = pw.TextField(index=True)  # six-digit county-level code, e.g. 420902
    town = pw.TextField(null=True)
    address = pw.TextField()
    phone = pw.TextField(null=True)
    hours = pw.TextField(null=True)
    latitude = pw.FloatField()
    longitude = pw.FloatField()
    services = JSONField(default=list)
    description = pw.TextField(null=True)
    is_sample = pw.BooleanField(default=False)


class Person(BaseModel):
    id = pw.AutoField()
    key = pw.TextField(unique=True)
    role = pw.TextField(index=True)
    name = pw.TextField()
    gender = pw.TextField(null=True)
    licence_no = pw.TextField(null=True)
    institution = pw.ForeignKeyField(Institution, null=True, backref="staff", on_delete="SET NULL")
    specialties = JSONField(default=list)
    practice_status = pw.TextField()
    years = pw.IntegerField(null=True)
    phone = pw.TextField(null=True)
    is_sample = pw.BooleanField(default=False)


class IntegrityRecord(BaseModel):
    id = pw.AutoField()
    key = pw.TextField(unique=True)
    institution = pw.ForeignKeyField(Institution, null=True, backref="integrity", on_delete="CASCADE")
    person = pw.ForeignKeyField(Person, null=True, backref="integrity", on_delete="CASCADE")
    kind = pw.TextField()  # 表彰 / 惩戒
    date = pw.DateField()
    title = pw.TextField()
    issuer = pw.TextField()
    detail = pw.TextField(null=True)
    is_sample = pw.BooleanField(default=False)


class Region(BaseModel):
    """County-level areas and their towns; towns carry their parent's code."""

    code = pw.TextField(primary_key=True)  # 420902 or 420902-书院街道 style for towns
    name = pw.TextField()
    parent = pw.TextField(null=True, index=True)
    latitude = pw.FloatField()
    longitude = pw.FloatField()
    bbox = JSONField(null=True)  # [min_lat, min_lon, max_lat, max_lon] for counties


# --- Guides, topics, synonyms, publicity, media -------------------------------------------------------


class Guide(BaseModel):
    id = pw.AutoField()
    key = pw.TextField(unique=True)
    title = pw.TextField()
    category = pw.TextField(index=True)
    summary = pw.TextField()
    conditions = JSONField(default=list)
    materials = JSONField(default=list)  # [{"name", "note", "required"}]
    steps = JSONField(default=list)
    fees = pw.TextField()
    time_limit = pw.TextField()
    office_types = JSONField(default=list)
    hotline = pw.TextField(null=True)
    position = pw.IntegerField(default=0)
    is_sample = pw.BooleanField(default=False)
    digest = pw.TextField()


class GuideBasis(BaseModel):
    id = pw.AutoField()
    guide = pw.ForeignKeyField(Guide, backref="basis", on_delete="CASCADE")
    law_title = pw.TextField()
    article_label = pw.TextField()
    article = pw.ForeignKeyField(Article, null=True, on_delete="SET NULL")


class HotTopic(BaseModel):
    id = pw.AutoField()
    key = pw.TextField(unique=True)
    name = pw.TextField()
    query = pw.TextField()
    description = pw.TextField(null=True)
    guide_key = pw.TextField(null=True)
    position = pw.IntegerField()
    is_sample = pw.BooleanField(default=False)


class Synonym(BaseModel):
    term = pw.TextField(primary_key=True)  # what residents say
    expansions = JSONField()  # legal terms it stands for


class Media(BaseModel):
    sha256 = pw.TextField(primary_key=True)
    size = pw.IntegerField()
    mime = pw.TextField()
    filename = pw.TextField()


class PublicityItem(BaseModel):
    id = pw.AutoField()
    key = pw.TextField(unique=True)
    kind = pw.TextField()  # 文章 / 视频
    title = pw.TextField()
    body = pw.TextField(null=True)
    media = pw.ForeignKeyField(Media, null=True, on_delete="SET NULL")
    position = pw.IntegerField(default=0)
    is_sample = pw.BooleanField(default=False)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Meta,
    Law,
    LawSection,
    Article,
    Case,
    CaseCitation,
    Region,
    Institution,
    Person,
    IntegrityRecord,
    Guide,
    GuideBasis,
    HotTopic,
    Synonym,
    Media,
    PublicityItem,
)
