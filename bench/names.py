"""Name pools for generated data. Every place is fictitious (division codes start with 99, which no
real province uses) so that bench data can never be mistaken for a real register."""

import random

# Characters for two-character place names (江宁, 云泰…); combinations are unique per level.
PLACE_CHARS = "江云海山河湖清泰安平宁德昌兴华盛东西南北新丰永和嘉瑞青阳明光金玉长乐富康福禾"

# Surnames weighted roughly by frequency: the common ones repeat.
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
    "潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶"
    "黎贺顾毛郝龚邵万钱严武戴莫孔汤顾浦"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华红玉志海燕雪梅晓东文斌建国庆春秋明辉琳"
    "婷倩峰鹏宇浩凯帆俊欣怡佳颖慧娇云飞瑶晨阳光荣新林森"
)

PARTIES = [
    ("中共党员", 62),
    ("群众", 22),
    ("民革党员", 2),
    ("民盟盟员", 3),
    ("民建会员", 3),
    ("民进会员", 2),
    ("农工党党员", 2),
    ("致公党党员", 1),
    ("九三学社社员", 2),
    ("无党派人士", 1),
]
ETHNICITIES = [("汉族", 95), ("回族", 2), ("满族", 1), ("苗族", 1), ("壮族", 1)]
SECTORS = [
    ("worker", 12),
    ("farmer", 14),
    ("cadre", 30),
    ("professional", 18),
    ("business", 16),
    ("military", 2),
    ("other", 8),
]
STATUSES = [("active", 94), ("terminated", 4), ("suspended", 2)]

# Occupations per sector; {town}/{community}/{city} are filled in from where the deputy is elected.
OCCUPATIONS = {
    "worker": [
        "{town}{co}有限公司一线工人",
        "{city}供电公司{town}供电所班长",
        "{town}自来水厂技术员",
    ],
    "farmer": ["{town}{community}村民", "{town}{community}家庭农场主", "{town}{co}农业合作社社长"],
    "cadre": [
        "{town}{community}党委书记",
        "{town}党委副书记",
        "{city}{dept}局长",
        "{town}{community}居委会主任",
    ],
    "professional": [
        "{city}第一人民医院医生",
        "{city}实验中学教师",
        "{town}卫生院院长",
        "{city}{co}律师事务所律师",
    ],
    "business": [
        "{city}{co}集团董事长",
        "{town}{co}有限公司总经理",
        "{city}{co}科技有限公司总经理",
    ],
    "military": ["{city}人民武装部政委", "驻{city}某部干部"],
    "other": ["{city}{co}协会会长", "{town}{community}退休职工", "{city}红十字会志愿者"],
}
COMPANY_WORDS = [
    "恒通",
    "华星",
    "瑞丰",
    "新港",
    "金桥",
    "长江",
    "海润",
    "东方",
    "中联",
    "天盛",
    "鑫源",
    "博远",
]

DEPARTMENTS = [
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水务局",
    "农业农村局",
    "商务局",
    "文化广电和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "市场监督管理局",
]
OFFICES = [
    ("办公室", "bangongshi", True),
    ("代表工作委员会", "daibiao", False),
    ("法制工作委员会", "fazhi", False),
    ("监察和司法工作委员会", "jiansi", False),
    ("财政经济工作委员会", "caijing", False),
    ("教育科学文化卫生工作委员会", "jiaokewen", False),
    ("城乡建设环境保护工作委员会", "chengjian", False),
    ("农业农村工作委员会", "nongye", False),
    ("社会建设工作委员会", "shehui", False),
]
RECEPTION_DAYS = [
    "每月5日 9:00-11:30",
    "每月10日 9:00-11:30",
    "每月15日 14:00-17:00",
    "每周三 14:00-17:00",
    "每月第一个周四 9:00-11:30",
    "每月最后一个周五 19:00-20:30",
    "每月8日、22日 9:00-11:30",
]
DUTY_SCHEDULES = ["每月第一周", "每月第二周", "每月第三周", "每月第四周", "单月", "双月"]
BRANDS = [
    "民声茶坊",
    "民生夜话",
    "代表在身边",
    "联督问政",
    "三联工作法",
    "有事好商量",
    "代表同行",
    "议事厅",
]
ROADS = [
    "人民路",
    "中山路",
    "解放路",
    "建设路",
    "新华路",
    "长江路",
    "府前街",
    "文化路",
    "健康路",
    "兴业路",
]
ORDINALS = "一二三四五六七八九十"


def weighted(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


class PlaceNamer:
    """Two-character names, unique within one scope (all cities; the towns of one city…)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[object, set[str]] = {}

    def name(self, scope: object) -> str:
        used = self.used.setdefault(scope, set())
        for _ in range(200):
            name = self.rng.choice(PLACE_CHARS) + self.rng.choice(PLACE_CHARS)
            if name[0] != name[1] and name not in used:
                used.add(name)
                return name
        # More places than pairs of characters: number them rather than loop forever.
        name = f"{self.rng.choice(PLACE_CHARS)}{len(used) + 1}"
        used.add(name)
        return name


_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def id_number(region: str, birth_date, seq: int) -> str:
    """An 18-character resident ID in the official format with a valid check digit (GB 11643)."""
    body = f"{region[:6]:0<6}{birth_date:%Y%m%d}{seq % 1000:03d}"
    return body + _ID_CHECK[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
