"""Content down: deltas, the snapshot when no delta fits, atomic application, media."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

from content_set import LAWS_DIR
from sync_harness import Hub, Terminal, edit_article

LABOUR = "社会法/劳动合同法(2012-12-28).md"
AID = "行政法/法律援助法(2021-08-20).md"


def _article(term: Terminal, source: str, label: str) -> str:
    con = sqlite3.connect(term.paths.content_db)
    try:
        row = con.execute(
            "SELECT a.text FROM article a JOIN law l ON l.id = a.law_id WHERE l.source = ? AND a.label = ?",
            (source, label),
        ).fetchone()
    finally:
        con.close()
    return str(row[0])


def test_delta_brings_exactly_the_new_version(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    edit_article(laws_dir, LABOUR, "第三条", "订立劳动合同，应当遵循合法、公平的原则（修改稿）。")
    shutil.copyfile(LAWS_DIR / "社会法" / "劳动法(2018-12-29).md", laws_dir / "社会法" / "劳动法(2018-12-29).md")
    out = hub.publish(laws_dir)
    assert "delta-1-2" in out
    result, lines = terminal.sync()
    assert result.exit_code == 0, lines
    content = next(line for line in lines if line["stage"] == "content")
    assert [a["kind"] for a in content["applied"]] == ["delta"]
    assert content["applied"][0]["bytes"] < 40_000  # one new law and one article, not the 370 kB snapshot
    assert terminal.version() == 2 and result.content_changed
    assert terminal.digest_map() == hub.version_map(2)
    assert "修改稿" in _article(terminal, LABOUR, "第三条")
    again, _ = terminal.sync()
    assert again.exit_code == 0 and not again.content_changed


def test_snapshot_when_no_delta_reaches(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    for n in range(4):  # the hub keeps deltas from the last 3 versions only
        edit_article(laws_dir, AID, "第二条", f"本法所称法律援助（第{n}稿）。")
        hub.publish(laws_dir)
    result, lines = terminal.sync()
    assert result.exit_code == 0, lines
    content = next(line for line in lines if line["stage"] == "content")
    assert [a["kind"] for a in content["applied"]] == ["snapshot"]
    assert content["applied"][0]["updated"] <= 3  # the snapshot is diffed: only changed rows are written
    assert terminal.version() == 5 and terminal.digest_map() == hub.version_map(5)


def test_delta_that_does_not_fit_falls_back_to_snapshot(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    con = sqlite3.connect(terminal.paths.content_db)
    con.execute("DELETE FROM synonym WHERE term = (SELECT MIN(term) FROM synonym)")  # local drift
    con.commit()
    con.close()
    (laws_dir / LABOUR).unlink()  # a whole law goes: its articles, sections and case citations change
    hub.publish(laws_dir)
    result, lines = terminal.sync()
    assert result.exit_code == 0, lines
    content = next(line for line in lines if line["stage"] == "content")
    assert content["fell_back"] and content["applied"][-1]["kind"] == "snapshot"
    assert terminal.digest_map() == hub.version_map(2)


def test_reader_sees_old_or_new_never_a_mix(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    edit_article(laws_dir, LABOUR, "第一条", "新版甲。")
    edit_article(laws_dir, AID, "第一条", "新版乙。")
    hub.publish(laws_dir)
    seen: set[tuple[str, bool, bool]] = set()
    stop = threading.Event()

    def reader() -> None:
        con = sqlite3.connect(terminal.paths.content_db, timeout=30)
        while not stop.is_set():
            con.execute("BEGIN")
            version = con.execute("SELECT value FROM meta WHERE key = 'content_version'").fetchone()[0]
            texts = [
                t
                for (t,) in con.execute(
                    "SELECT a.text FROM article a JOIN law l ON l.id = a.law_id WHERE a.label = '第一条' "
                    "AND l.source IN (?, ?) ORDER BY l.source",
                    (AID, LABOUR),
                )
            ]
            con.execute("COMMIT")
            seen.add((version, texts[0].startswith("新版甲。"), texts[1].startswith("新版乙。")))  # 社会法 < 行政法
        con.close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        result, lines = terminal.sync()
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, lines
    assert seen <= {("1", False, False), ("2", True, True)}, seen
    assert ("2", True, True) in seen or terminal.version() == 2


def test_media_is_fetched_verified_and_pruned(hub: Hub, terminal: Terminal, laws_dir: Path, tmp_path: Path) -> None:
    video = b"\x1aE\xdf\xa3 fake webm " * 5000
    sha = hashlib.sha256(video).hexdigest()
    media_dir = hub.root / "build" / "media"
    (media_dir / "intro.webm").write_bytes(video)
    con = sqlite3.connect(hub.root / "build" / "content.sqlite3")
    con.execute(
        "INSERT INTO media (sha256, size, mime, filename) VALUES (?, ?, 'video/webm', 'intro.webm')", (sha, len(video))
    )
    con.commit()
    con.close()
    publicity = tmp_path / "publicity.toml"
    publicity.write_text(
        '[[item]]\nid = "V1"\nkind = "视频"\ntitle = "示例视频"\nmedia = "intro.webm"\nposition = 1\nsample = true\n',
        encoding="utf-8",
    )
    hub.publish(laws_dir, "--publicity", publicity)
    result, lines = terminal.sync()
    assert result.exit_code == 0, lines
    media = next(line for line in lines if line["stage"] == "media")
    assert media["fetched"] == 1
    assert (terminal.paths.media_dir / sha).read_bytes() == video
    stray = terminal.paths.media_dir / ("0" * 64)
    stray.write_bytes(b"old")
    result, lines = terminal.sync()
    assert not stray.exists() and (terminal.paths.media_dir / sha).exists()


def test_new_content_brings_its_law_titles_to_the_keyboard(hub: Hub, terminal: Terminal, laws_dir: Path) -> None:
    from kiosk.domain_words import words_file

    shutil.copyfile(LAWS_DIR / "社会法" / "劳动法(2018-12-29).md", laws_dir / "社会法" / "劳动法(2018-12-29).md")
    hub.publish(laws_dir)
    words_file(terminal.paths).unlink(missing_ok=True)
    result, lines = terminal.sync()
    assert result.content_changed, lines
    content = next(line for line in lines if line["stage"] == "content")
    assert content["domain_words"] > 0
    words = words_file(terminal.paths).read_text(encoding="utf-8")
    assert "劳动法" in words and "劳动合同法" in words
