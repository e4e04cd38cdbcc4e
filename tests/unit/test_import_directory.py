from __future__ import annotations

from pathlib import Path

import peewee as pw
import pytest

from kiosk.store.errors import ImportFailed
from kiosk.store.import_directory import import_directory
from kiosk.store.models import Institution, IntegrityRecord, Person
from tests.conftest import dump

INSTITUTIONS = """institution_id,type,name,region_code,town,address,phone,hours,latitude,longitude,services,sample
XG-T-1,法律援助中心,孝南区示例法律援助中心,420902,书院街道,"孝南区示例路1号, 一楼",0712-2345678,周一至周五,30.92,113.92,法律咨询;法律援助申请,1
XG-T-2,律师事务所,湖北示例律师事务所,420981,,应城市示例大道8号,12348,,30.94,113.57,民事代理；刑事辩护,1
"""
PEOPLE = """person_id,role,name,gender,licence_no,institution_id,specialties,practice_status,years,sample
XG-P-1,律师,陈思远（示例）,男,14209201910000001,XG-T-2,劳动争议;婚姻家庭,执业,8,1
XG-P-2,法律援助工作者,李清（示例）,女,,XG-T-1,,执业,,1
"""
INTEGRITY = """record_id,subject_id,kind,date,title,issuer,detail,sample
XG-R-1,XG-P-1,表彰,2024-05-01,优秀律师,孝感市司法局（示例）,,1
XG-R-2,XG-T-1,表彰,2023-01-10,文明服务窗口,孝感市司法局（示例）,,1
"""


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def csv_files(tmp_path: Path) -> list[Path]:
    return [
        write(tmp_path, "institutions.csv", INSTITUTIONS),
        write(tmp_path, "people.csv", PEOPLE),
        write(tmp_path, "integrity.csv", INTEGRITY),
    ]


def test_directory_import_links_people_and_records(content_db: pw.SqliteDatabase, csv_files: list[Path]) -> None:
    report = import_directory(content_db, csv_files)
    assert report.added == 6
    centre = Institution.get(Institution.key == "XG-T-1")
    assert centre.address == "孝南区示例路1号, 一楼"  # quoted comma kept
    assert centre.services == ["法律咨询", "法律援助申请"]
    firm = Institution.get(Institution.key == "XG-T-2")
    assert firm.services == ["民事代理", "刑事辩护"]  # full-width separator too
    lawyer = Person.get(Person.key == "XG-P-1")
    assert lawyer.institution.key == "XG-T-2" and lawyer.specialties == ["劳动争议", "婚姻家庭"]
    assert [r.title for r in lawyer.integrity] == ["优秀律师"]
    assert IntegrityRecord.get(IntegrityRecord.key == "XG-R-2").institution.key == "XG-T-1"


def test_reimport_is_a_no_op_and_an_edit_updates_in_place(
    content_db: pw.SqliteDatabase, csv_files: list[Path], tmp_path: Path
) -> None:
    import_directory(content_db, csv_files)
    before = dump(content_db)
    again = import_directory(content_db, csv_files)
    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    assert dump(content_db) == before
    centre_id = Institution.get(Institution.key == "XG-T-1").id
    write(tmp_path, "institutions.csv", INSTITUTIONS.replace("0712-2345678", "0712-2999999"))
    edited = import_directory(content_db, csv_files)
    assert (edited.added, edited.changed) == (0, 1)
    centre = Institution.get(Institution.key == "XG-T-1")
    assert (centre.id, centre.phone) == (centre_id, "0712-2999999")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_excel_encodings_are_detected(content_db: pw.SqliteDatabase, tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, "institutions.csv", INSTITUTIONS.replace("\n", "\r\n"), encoding)
    import_directory(content_db, [path])
    assert Institution.get(Institution.key == "XG-T-1").name == "孝南区示例法律援助中心"


BAD_CASES = [
    ("institutions.csv", INSTITUTIONS.replace(",address,", ",addr,"), ":1 [address]: required column is missing"),
    ("institutions.csv", INSTITUTIONS.replace("420981", "420999"), ":3 [region_code]: unknown region code '420999'"),
    (
        "institutions.csv",
        INSTITUTIONS.replace("30.94,113.57", "30.94,115.90"),
        ":3 [latitude]: (30.94, 115.9) lies outside",
    ),
    ("institutions.csv", INSTITUTIONS.replace("XG-T-2", "XG-T-1"), ":3 [institution_id]: duplicate key XG-T-1"),
    ("institutions.csv", INSTITUTIONS.replace("律师事务所,湖北", "律所,湖北"), ":3 [type]: '律所' is not one of"),
    ("institutions.csv", INSTITUTIONS.replace("0712-2345678", "12345"), ":2 [phone]: '12345' is not a phone number"),
    ("people.csv", PEOPLE.replace("XG-T-2,劳动", "XG-T-9,劳动"), ":2 [institution_id]: unknown institution 'XG-T-9'"),
    ("integrity.csv", INTEGRITY.replace("2024-05-01", "2024-13-01"), ":2 [date]: '2024-13-01' is not a date"),
    ("integrity.csv", INTEGRITY.replace(",XG-P-1,", ",XG-P-7,"), ":2 [subject_id]: unknown institution or person"),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_CASES)
def test_bad_input_names_file_line_field_and_changes_nothing(
    content_db: pw.SqliteDatabase, csv_files: list[Path], name: str, text: str, expected: str
) -> None:
    import_directory(content_db, csv_files)
    before = dump(content_db)
    broken = write(csv_files[0].parent, name, text)
    with pytest.raises(ImportFailed) as failure:
        import_directory(content_db, csv_files)
    messages = [str(p) for p in failure.value.problems]
    assert any(m.startswith(str(broken)) and expected in m for m in messages), messages
    assert dump(content_db) == before
