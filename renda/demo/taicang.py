"""Static facts of the Taicang demo: places, congresses, offices, units, brands and name pools.

Town, street and brand names follow the 2022 review in ../shared/seed. Village and community
names are plausible rather than an official list, and the division codes only follow the
official format: the demo must never be mistaken for an authoritative register.
"""

from dataclasses import dataclass, field
from datetime import date

CITY_NAME = "太仓市"
CITY_CODE = "320585"
CITY_CONGRESS_NAME = "太仓市人民代表大会"
CITY_CONGRESS_SHORT = "太仓市人大"
CITY_BODY = "常委会"
CITY_TERM_NUMBER = 17
CITY_TERM_START = date(2021, 12, 1)
TOWN_TERM_NUMBER = 18
TOWN_TERM_START = date(2021, 11, 20)
STREET_TERM_NUMBER = 2
STREET_TERM_START = date(2022, 1, 10)

ZONE_NAME = "太仓高新区"
ZONE_GROUP_NAME = "太仓高新区人大代表联席会议"
ZONE_GROUP_SIZE = 45
# How many of the 45 zone deputies are elected in each of the places the zone spans.
ZONE_QUOTAS = {"娄东街道": 20, "陆渡街道": 15, "城厢镇": 10}


@dataclass(frozen=True)
class Town:
    name: str
    short: str  # 城厢 → 城厢代表小组
    kind: str  # "town" or "street"
    code: str
    brand: str
    road: str  # where the liaison station stands
    reception_days: str
    city_deputies: int  # seats of the city congress elected here
    communities: list[str] = field(default_factory=list)


TOWNS: list[Town] = [
    Town("城厢镇", "城厢", "town", "320585100", "城市更新 代表同行", "县府街", "每月15日 9:00-11:30",
         58, ["东门社区", "南郊社区", "西门社区", "北门社区", "洛阳社区", "弇山社区", "太平社区",
              "电站村", "东林村", "万丰村"]),
    Town("沙溪镇", "沙溪", "town", "320585102", "联督问政", "白云中路", "每月10日 9:00-11:30",
         36, ["沙南社区", "沙北社区", "印溪社区", "直塘社区", "涂松村", "泥桥村", "半泾村", "松南村",
              "岳王村"]),
    Town("浏河镇", "浏河", "town", "320585103", "民声茶坊听民声", "郑和中路", "每月5日、20日 9:00-11:00（民声茶坊）",
         32, ["浏新社区", "闸北社区", "紫薇社区", "郑和社区", "东仓村", "何桥村", "新海村", "浏南村"]),
    Town("浮桥镇", "浮桥", "town", "320585104", "以房管人 精准治理", "浮桥路", "每周三 14:00-17:00",
         36, ["浮南社区", "浮北社区", "时思社区", "九曲社区", "牌楼村", "三市村", "方桥村", "新邵村"]),
    Town("璜泾镇", "璜泾", "town", "320585105", "三联工作法", "璜泾东路", "每月18日 9:00-11:30",
         30, ["璜泾社区", "王秀社区", "鹿河社区", "雅鹿村", "杨漕村", "永乐村", "长洲村", "新明村"]),
    Town("双凤镇", "双凤", "town", "320585106", "民生夜话", "双凤中路", "每月最后一个周四 19:00-20:30（民生夜话）",
         22, ["双凤社区", "新湖社区", "凤中村", "勤力村", "维新村", "庙前村", "新卫村"]),
    Town("娄东街道", "娄东", "street", "320585001", "善治娄东代表行", "上海东路", "每月8日、22日 9:00-11:30",
         52, ["娄东社区", "向阳社区", "滨河社区", "惠阳社区", "景湖社区", "江南社区", "云峰社区",
              "半泾湾社区"]),
    Town("陆渡街道", "陆渡", "street", "320585002", "一'陆'相伴", "陆渡大道", "每周五 9:00-11:30",
         34, ["陆渡社区", "长春社区", "新港社区", "南洋社区", "三港村", "良辰村", "乐余村"]),
]

# 300 seats in all; the sum is asserted by the tests through the deputy count.
CITY_DEPUTY_TOTAL = sum(t.city_deputies for t in TOWNS)

# Offices of the city standing committee: (name, code, supervises).
CITY_OFFICES: list[tuple[str, str, bool]] = [
    ("办公室", "bangongshi", True),
    ("代表工作委员会", "daibiao", False),
    ("监察和司法工作委员会", "jiansi", False),
    ("财政经济工作委员会", "caijing", False),
    ("法制工作委员会", "fazhi", False),
    ("教育科学文化卫生工作委员会", "jiaokewei", False),
    ("城乡建设环境保护工作委员会", "chengjian", False),
    ("农业农村工作委员会", "nongye", False),
    ("社会建设工作委员会", "shejian", False),
]
# Town presidiums and street 人大工委 have one small office; it is where overdue items escalate.
TOWN_OFFICE = ("人大办公室", "bangongshi", True)

COMMITTEE_VICE_DIRECTORS = 4
COMMITTEE_MEMBERS = 27  # 委员; with 主任, 4 副主任 and 秘书长 the committee has 33 members

# City handling units: (name, kind).
CITY_UNITS: list[tuple[str, str]] = [
    ("市发展和改革委员会", "department"),
    ("市教育局", "department"),
    ("市公安局", "department"),
    ("市民政局", "department"),
    ("市财政局", "department"),
    ("市人力资源和社会保障局", "department"),
    ("市自然资源和规划局", "department"),
    ("市生态环境局", "department"),
    ("市住房和城乡建设局", "department"),
    ("市交通运输局", "department"),
    ("市水务局", "department"),
    ("市农业农村局", "department"),
    ("市商务局", "department"),
    ("市文体广电和旅游局", "department"),
    ("市卫生健康委员会", "department"),
    ("市应急管理局", "department"),
    ("市市场监督管理局", "department"),
    ("市城市管理局", "department"),
    ("太仓市人民法院", "court"),
    ("太仓市人民检察院", "procuratorate"),
]
DEMO_UNIT_NAME = "市住房和城乡建设局"
# Offices of a town government that answer the town congress's items.
TOWN_UNITS = ["党政办公室", "经济发展局", "社会事业局", "综合行政执法局"]
STREET_UNITS = ["党政办公室", "社会事业局", "城市管理办公室"]
CONTACT_TITLES = ["办公室主任", "综合科科长", "办公室副主任", "科员", "建议提案办理联络员"]

# Seed: the first evaluation covered 10 judges and 6 prosecutors.
JUDGES = 10
PROSECUTORS = 6
JUDGE_TITLES = ["审判员", "审判员、民事审判庭庭长", "审判员、刑事审判庭副庭长", "审判员、立案庭庭长",
                "审判员、行政审判庭庭长", "审判员、执行局副局长"]
PROSECUTOR_TITLES = ["检察员", "检察员、第一检察部主任", "检察员、第二检察部副主任", "检察员、公益诉讼检察部主任"]

# --- name pools -----------------------------------------------------------------
# Surnames weighted towards those common in southern Jiangsu; the weights are rough.
SURNAMES = (
    "陆" * 6 + "顾" * 6 + "沈" * 6 + "王" * 8 + "张" * 7 + "陈" * 7 + "周" * 6 + "徐" * 6 + "朱" * 6
    + "钱" * 4 + "吴" * 5 + "李" * 5 + "杨" * 4 + "黄" * 3 + "刘" * 4 + "孙" * 4 + "蒋" * 3 + "施" * 3
    + "邵" * 2 + "姚" * 3 + "金" * 3 + "缪" * 2 + "龚" * 2 + "殷" * 2 + "浦" * 2 + "季" * 2 + "郁" * 2
    + "曹" * 2 + "唐" * 2 + "许" * 2 + "范" * 2 + "吕" + "丁" + "汤" + "秦" + "俞" + "严" + "潘" + "袁"
    + "戴" + "薛" + "胡" + "马" + "郭" + "何" + "高" + "郑" + "宋" + "谢" + "夏" + "叶" + "赵" + "毛" + "尤"
)
GIVEN_MALE = "伟刚勇军杰涛明超斌峰磊强波辉鹏华平俊文建国良飞宇浩晨亮新春忠兴荣锋雷宏志健林彬晓东卫民德海江"
GIVEN_FEMALE = "芳娟敏静丽艳红霞燕玲婷雪慧琴梅萍洁颖佳怡倩蓉莉婧璐丹凤英秀兰珍琳晶月云瑶欣悦"
ETHNIC_MINORITIES = ["回族", "满族", "蒙古族", "壮族", "苗族", "土家族", "朝鲜族"]
DEMOCRATIC_PARTIES = ["民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员", "致公党党员", "九三学社社员"]

COMPANY_WORDS = [
    "华瑞", "恒通", "中德", "新宇", "金港", "永盛", "联合", "海润", "长江", "协鑫", "东方", "嘉禾",
    "瑞丰", "天顺", "宏达", "汇丰", "鼎盛", "娄江", "弇州", "港城", "沪太", "博朗", "科美", "润泽",
]
COMPANY_TRADES = [
    "精密机械", "汽车零部件", "新材料", "电子科技", "化纤", "物流", "纺织", "生物医药", "港务",
    "建设工程", "食品", "智能装备", "航空材料", "环保科技", "农业科技", "服饰",
]
BUSINESS_POSTS = ["董事长", "总经理", "董事长、总经理", "执行董事", "副总经理"]
WORKER_POSTS = ["车间主任", "一线职工", "技术员", "班组长", "质检员", "工会主席"]
PROFESSIONAL_JOBS = [
    "太仓市第一人民医院主任医师", "太仓市中医医院副主任医师", "太仓市实验小学校长", "太仓市高级中学教师",
    "太仓市明德高级中学副校长", "苏州健雄职业技术学院教授", "太仓市律师协会副会长", "太仓市城市规划设计院高级工程师",
    "太仓市妇幼保健院护士长", "太仓市科技创业园研发中心主任", "太仓市沙溪中学教师", "太仓市港区医院医生",
]
CITY_CADRE_JOBS = ["太仓港经济技术开发区管委会副主任", "太仓市总工会副主席", "共青团太仓市委书记",
                   "太仓市妇联主席", "太仓市工商联副主席", "太仓市人民政府办公室副主任"]
MILITARY_JOBS = ["太仓市人民武装部部长", "太仓市人民武装部政治委员", "驻太部队某部政治委员"]
DUTY_SCHEDULES = ["每月第一周", "每月第二周", "每月第三周", "每月第四周", "单月接待日", "双月接待日", "每季度首月"]
