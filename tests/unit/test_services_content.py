"""Services over a small real database: laws (民法典 as one code), directory distances, links, search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import peewee as pw
import pytest

from kiosk.paths import ASSETS_DIR, SAMPLE_DIR, SHARED_DATA_DIR
from kiosk.search.api import SearchHit
from kiosk.services.directory import DirectoryService, Location, distance_km, format_distance
from kiosk.services.laws import LawService, parse_article_ref
from kiosk.services.links import article_url, map_url, qr_matrix, take_away_text, tel_url
from kiosk.services.search import SearchService, group_hits, split_snippet, without
from kiosk.services.speech import SpeechService, SpeechUnavailable, sentences

FILES = (
    "民法典/婚姻家庭编.md",
    "民法典/总则.md",
    "行政法规/道路运输条例(2019-03-02).md",
    "行政法规/道路运输条例(2023-07-20).md",
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pw.SqliteDatabase]:
    import shutil

    from kiosk.store.db import bind_content_models, open_content_db
    from kiosk.store.import_directory import import_directory
    from kiosk.store.import_laws import import_laws
    from kiosk.store.regions import import_regions

    root = tmp_path_factory.mktemp("svc")
    for rel in FILES:
        (root / "laws" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED_DATA_DIR / "laws" / rel, root / "laws" / rel)
    database = open_content_db(root / "content.sqlite3")
    bind_content_models(database)
    import_regions(database, ASSETS_DIR / "regions.csv")
    import_laws(database, root / "laws")
    import_directory(
        database, [SAMPLE_DIR / "institutions.csv", SAMPLE_DIR / "people.csv", SAMPLE_DIR / "integrity.csv"]
    )
    yield database
    database.close()


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("1087", (1087, 0)),
        ("第一千零八十七条", (1087, 0)),
        ("一千零八十七", (1087, 0)),
        ("第十条之一", (10, 1)),
        (" 第 19 条 ", (19, 0)),
        ("abc", None),
        ("0", None),
        ("第条", None),
    ],
)
def test_article_references(text: str, ref: tuple[int, int] | None) -> None:
    assert parse_article_ref(text) == ref


def test_civil_code_parts_browse_as_one_code_and_read_through(db: pw.SqliteDatabase) -> None:
    laws = LawService(db)
    entries = [s for s in laws.browse("法律") if "民法典" in s.title]
    assert [e.title for e in entries] == ["中华人民共和国民法典"]
    doc = laws.open_document(entries[0].id)
    assert doc.title == "中华人民共和国民法典" and doc.status == "现行有效"
    assert [e.text for e in doc.toc if e.depth == 0] == ["第一编 总则", "第五编 婚姻家庭"]
    row = doc.row_of(1087)
    assert row is not None and doc.rows[row].label == "第一千零八十七条"
    numbers = [r.number for r in doc.rows if r.kind == "article"]
    assert numbers == sorted(numbers)
    assert laws.open_document(entries[0].id) is doc  # cached: the second opening costs nothing


def test_old_version_notice_points_at_current(db: pw.SqliteDatabase) -> None:
    from kiosk.store.models import Law

    laws = LawService(db)
    old = Law.get(Law.short_title == "道路运输条例", Law.status == "已修改")
    doc = laws.open_document(old.id)
    assert doc.notice and "历史版本" in doc.notice
    current = laws.open_document(doc.notice_link or 0)
    assert current.status == "现行有效" and current.notice is None
    assert {v.status for v in current.versions} == {"现行有效", "已修改"}


def test_distance_and_nearest_first(db: pw.SqliteDatabase) -> None:
    here = Location(30.9246, 113.9167)
    assert distance_km(here, 30.9246, 113.9167) == 0
    assert distance_km(here, 31.9246, 113.9167) == pytest.approx(111.2, abs=0.2)
    assert format_distance(0.4123) == "410 米" and format_distance(12.34) == "12.3 公里"
    directory = DirectoryService(db, here)
    found = directory.institutions()
    assert [s.distance_km for s in found] == sorted(s.distance_km for s in found)
    aid = directory.institutions("法律援助中心")
    assert aid and {s.type for s in aid} == {"法律援助中心"}
    detail = directory.institution(aid[0].id)
    assert detail.map_url.isascii() and "coordinate=wgs84" in detail.map_url
    people = directory.people("律师")
    assert people and all(p.role == "律师" for p in people)
    assert [p.practice_status == "执业" for p in people] == sorted(
        (p.practice_status == "执业" for p in people), reverse=True
    )


def test_links_are_ascii_and_qr_encodes_them() -> None:
    url = map_url(30.92, 113.91, "孝感市法律援助中心")
    assert url.isascii() and unquote(url).count("孝感市法律援助中心") == 1
    assert tel_url("0712-2345678") == "tel:07122345678" and tel_url(None) is None
    assert "%E7%AC%AC" in article_url("", "中华人民共和国民法典", 1087)
    assert (
        article_url("https://hub.example", "民法典", 5)
        == "https://hub.example/share/law?t=%E6%B0%91%E6%B3%95%E5%85%B8&a=5"
    )
    matrix = qr_matrix(url)
    assert len(matrix) == len(matrix[0]) >= 29
    with pytest.raises(ValueError):  # a text too dense to scan
        qr_matrix("材料" * 300)
    text = take_away_text("示例指南", [f"{i}. 材料{i}" for i in range(200)])
    assert text.startswith("示例指南\n0. 材料0") and text.endswith("12348 法律服务热线")
    assert len(text.encode("utf-8")) <= 480 and "其余请见终端屏幕" in text
    assert len(qr_matrix(text)) == len(qr_matrix(text)[0])


def test_snippets_and_grouping() -> None:
    assert split_snippet("a\x02b\x03c") == [("a", False), ("b", True), ("c", False)]
    assert split_snippet("\x02x") == [("x", True)]
    hits = [
        SearchHit("case", 1, "案"),
        SearchHit("article", 2, "法", article="第一条", status="现行有效"),
        SearchHit("bogus", 3, "?"),
    ]
    outcome = group_hits("q", hits)
    assert [g.kind for g in outcome.groups] == ["article", "case"]
    assert outcome.groups[0].items[0].subtitle == "第一条 · 现行有效"


def test_a_group_keeps_what_does_not_fit_its_first_page() -> None:
    hits = [SearchHit("institution", i, f"机构{i}") for i in range(1, 10)] + [SearchHit("case", 20, "案")]
    outcome = group_hits("q", hits, per_group=6)
    offices = next(g for g in outcome.groups if g.kind == "institution")
    assert [i.id for i in offices.items] == [1, 2, 3, 4, 5, 6] and [i.id for i in offices.more] == [7, 8, 9]
    assert offices.count == 9 and outcome.total == 10  # 找到 10 条结果: everything found, not what fits
    # Offices already listed as "nearby" leave the group; the hidden ones move up to fill its page.
    rest = without(offices, {2, 5})
    assert [i.id for i in rest.items] == [1, 3, 4, 6, 7, 8] and [i.id for i in rest.more] == [9]


def test_missing_engine_is_reported_not_raised(db: pw.SqliteDatabase) -> None:
    service = SearchService(db, module="kiosk.search.nope")
    assert not service.available
    assert service.search("离婚").error == "搜索暂不可用"
    assert service.suggest("li") == []
    assert service.search("  ").groups == []


def test_sentences_are_short_and_complete() -> None:
    parts = sentences("第一条 为了保护。第二条 甲；乙\n" + "长" * 300)
    assert parts[:3] == ["第一条 为了保护。", "第二条 甲；", "乙"]
    assert all(len(p) <= 120 for p in parts) and "".join(parts[3:]) == "长" * 300


def test_speech_without_voice_gives_a_message() -> None:
    speech = SpeechService(voice="no/such-voice", player=None)
    assert speech.check() == "本机未安装中文语音，暂时不能朗读"
    with pytest.raises(SpeechUnavailable):
        speech.speak("你好")
    speech.close()


def test_speech_synthesises_mandarin(tmp_path: Path) -> None:
    speech = SpeechService(player=None)
    # espeak-ng with its Mandarin voice is a required system package (scripts/bootstrap.sh installs it).
    assert speech.check() is None
    wav = speech.synthesize("第一千零八十七条，离婚时，夫妻的共同财产由双方协议处理。", tmp_path / "a.wav")
    import wave

    with wave.open(str(wav)) as w:
        frames = w.readframes(w.getnframes())
        assert w.getnframes() / w.getframerate() > 2.0
    peak = max(abs(int.from_bytes(frames[i : i + 2], "little", signed=True)) for i in range(0, len(frames), 2))
    assert peak > 1000  # spoken, not silence
    assert speech.speak("你好。") is True
    speech.close()


SYNTH_ONCE = """
import sys, wave
from pathlib import Path
from kiosk.services.speech import SpeechService
wav = SpeechService(player=None).synthesize("第一千零八十七条，离婚时，夫妻的共同财产由双方协议处理。", Path(sys.argv[1]))
with wave.open(str(wav)) as w:
    print(w.getnframes() / w.getframerate(), wav.stat().st_size - 44 - 2 * w.getnframes())
"""


def test_the_first_sentence_a_terminal_reads_aloud_is_whole(tmp_path: Path) -> None:
    """The first synthesis of a fresh speech engine (each start of the kiosk): pyttsx3 could return
    before espeak had written the file, about one start in six; the sentence was then refused as
    "no Mandarin voice" or read cut short. Fresh processes, as the kiosk starts."""
    import subprocess
    import sys

    for i in range(6):
        out = subprocess.run(
            [sys.executable, "-c", SYNTH_ONCE, str(tmp_path / f"{i}.wav")], capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stderr[-500:]
        seconds, missing = out.stdout.split()
        assert float(seconds) > 2.0 and int(missing) == 0, out.stdout
        assert "Audio saved" not in out.stdout  # pyttsx3's own print stays out of the kiosk's output


def test_a_guiding_case_number_is_never_a_topic() -> None:
    from kiosk.store.import_cases import case_topic

    assert case_topic("指导案例18号", ["民事", "劳动合同", "单方解除"], "中兴通讯诉王鹏劳动合同纠纷案") == "劳动人事"
    assert case_topic("指导案例40号", ["行政工伤认定"], "孙立兴诉劳动人事局工伤认定案") == "劳动人事"
    assert case_topic("指导案例50号", ["民事", "继承"], "继承纠纷案") == "民法典"
    assert case_topic("指导案例999号", ["刑事"], "某案") is None
    assert case_topic("消费购物", [], "x") == "消费购物"
