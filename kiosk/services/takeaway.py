"""The texts residents take away by QR code (the phone's camera shows them as they are, no app and
no network needed): a guide's materials, an institution's own phone and address, a legal-aid result.
Only public facts; never anything a resident typed."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.services.directory import InstitutionDetail
from kiosk.services.guides import GuideDetail
from kiosk.services.links import take_away_text


def institution_text(d: InstitutionDetail) -> str:
    s = d.summary
    lines = [f"电话：{s.phone}" if s.phone else "电话：未公布（可拨打 12348）", f"地址：{s.address}"]
    if d.hours:
        lines.append(f"办公时间：{d.hours}")
    return take_away_text(s.name, lines)


def guide_materials_text(d: GuideDetail) -> str:
    lines = [f"材料清单（共 {len(d.materials)} 项）："]
    lines += [f"{i}. {m.name}{'' if m.required else '（如有）'}" for i, m in enumerate(d.materials, start=1)]
    if d.offices:  # last: the checklist matters most when space runs out
        office = d.offices[0]
        lines.append(f"办理地点：{office.name}" + (f"，电话 {office.phone}" if office.phone else ""))
    return take_away_text(f"办事指南：{d.summary.title}", lines)


def legal_aid_text(outcome: str, materials: Sequence[str], centre: InstitutionDetail | None) -> str:
    lines = []
    if centre is not None:  # first: the place to go matters more than the last material
        s = centre.summary
        lines.append(f"最近的法律援助中心：{s.name}，{s.address}" + (f"，电话 {s.phone}" if s.phone else ""))
    lines.append("需要准备的材料：")
    lines += [f"{i}. {m}" for i, m in enumerate(materials, start=1)]
    return take_away_text(f"法律援助自测结果：{outcome}（仅供参考）", lines)
