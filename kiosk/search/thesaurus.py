"""Legal wording for words residents share with lawyers but which statutes put differently.

The synonym table (``assets/synonyms.tsv``) maps colloquial words to legal terms. These few entries
cover plain legal words the statutes rarely use in that form: a resident asks who 赔偿s, the Civil
Code says who 承担侵权责任; a resident asks whether a contract is still 有效, the code speaks of its
效力. They are weighted below the synonym table's expansions and added after them.
"""

from __future__ import annotations

THESAURUS: dict[str, tuple[str, ...]] = {
    "赔偿": ("侵权责任", "承担责任"),
    "赔偿金": ("赔偿",),
    "负责": ("责任", "承担"),
    "有效": ("效力",),
    "无效": ("效力",),
    "失效": ("效力", "终止"),
    "报警": ("报告", "报案"),
    "保密": ("保守", "秘密"),
    "泄露": ("泄漏", "披露"),
    "医疗纠纷": ("医疗损害", "诊疗"),
    "医疗事故": ("医疗损害", "诊疗"),
    "工资": ("劳动报酬",),
    "期限": ("期间",),
    "起诉": ("诉讼",),
    "房子": ("房屋", "住房"),
    "受伤": ("人身损害", "伤害"),
    "损失": ("损害",),
    "违约": ("违反合同", "违约责任"),
    "退钱": ("退还",),
    "利息": ("利率",),
    "上班": ("工作",),
    "赔钱": ("赔偿",),
    "罚钱": ("罚款",),
    "告状": ("起诉", "诉讼"),
    "证据": ("证明",),
    "开除": ("解除劳动合同",),
    "辞退": ("解除劳动合同",),
    "小孩": ("未成年人", "子女"),
    "孩子": ("子女", "未成年人"),
    "老婆": ("配偶", "妻子"),
    "丈夫": ("配偶",),
    "妻子": ("配偶",),
    "分房": ("分割", "共同财产"),
    "抚养费": ("抚养",),
    "生活费": ("抚养费", "赡养费"),
    "看病": ("医疗", "诊疗"),
    "手术": ("诊疗",),
    "公司": ("用人单位", "单位"),
    "判刑": ("有期徒刑", "拘役"),
    "卖房": ("所有权变动", "出卖"),
    "买房": ("买受人", "买卖合同"),
    "征地": ("征收土地",),
    "坐牢": ("有期徒刑",),
    "加班费": ("延长工作时间", "工资报酬"),
    "违法": ("违反",),
    "伤人": ("伤害", "损害"),
    "砸伤": ("损害",),
    "东西": ("物品", "财物"),
    "事情": ("事项",),
    "未成年人": ("未成年子女",),
    "老板": ("用人单位",),
    "员工": ("劳动者", "职工"),
    "工人": ("劳动者", "职工"),
}


_FAMILY = frozenset(
    (
        "老公",
        "老婆",
        "丈夫",
        "妻子",
        "媳妇",
        "爱人",
        "配偶",
        "对象",
        "前夫",
        "前妻",
        "孩子",
        "儿子",
        "女儿",
        "闺女",
        "父母",
        "爸爸",
        "妈妈",
        "爸",
        "妈",
        "父亲",
        "母亲",
        "公公",
        "婆婆",
        "岳父",
        "岳母",
        "继父",
        "继母",
        "后妈",
        "后爸",
        "家人",
        "家里人",
        "亲戚",
        "哥哥",
        "弟弟",
        "姐姐",
        "妹妹",
        "儿媳",
        "女婿",
    )
)
_VIOLENCE = frozenset(
    (
        "打",
        "殴打",
        "打骂",
        "暴打",
        "揍",
        "虐待",
        "伤害",
        "威胁",
        "恐吓",
        "掐",
        "踢",
        "关",
        "家暴",
        "打人",
        "动手",
    )
)

#: Two kinds of words that together mean a third thing no single word says: a family member and
#: violence is 家庭暴力 (老公打我). The second word is then read as part of the new concept.
COMBINATIONS: tuple[tuple[frozenset[str], frozenset[str], str], ...] = ((_FAMILY, _VIOLENCE, "家庭暴力"),)
