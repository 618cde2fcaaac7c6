"""What the demo's meetings discussed and decided, after the 2022 work review in ../shared/seed.

The sessions of the 17th standing committee in 2022 (about every two months), two director
meetings, the high-tech zone's joint meeting of 31 August 2022, the 2023 congress session with its
livelihood-project vote, and an upcoming session. Officials of the government, the court and the
procuratorate are named by their post only: the demo invents no real official. Standing-committee
people are named by placeholders ({director}, {secretary}, {office:code}) filled in from the
demo's committee.
"""

import datetime as dt
from dataclasses import dataclass

COMMITTEE_TITLE = "太仓市第十七届人民代表大会常务委员会第{n}次会议"
COMMITTEE_HALL = "市人大常委会会议室"
DIRECTORS_TITLE = "市十七届人大常委会第{n}次主任会议"
DIRECTORS_ROOM = "市人大常委会第一会议室"
ZONE_TITLE = "太仓高新区人大代表联席会议2022年第一次全体会议"
ZONE_HALL = "太仓高新区党群服务中心会议室"
CONGRESS_TITLE = "太仓市第十七届人民代表大会第二次会议"
CONGRESS_HALL = "市会议中心大会堂"


@dataclass(frozen=True)
class Item:
    """One agenda item. vote: "" (heard, no vote), "motion" or "appointment"; for an appointment,
    `appoint` names how many of the court's judges ("judge") and the procuratorate's prosecutors
    ("prosecutor") are on the paper, one option per person."""

    title: str
    presenter: str = ""
    description: str = ""
    decision: str = ""  # for a voted item the vote's explained result is added
    document: str = ""  # the title of its meeting document ("" for none)
    vote: str = ""
    vote_title: str = ""
    secret: bool = False
    paper: bool = False
    appoint: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Session:
    number: int
    day: dt.date
    items: tuple[Item, ...]
    leave: int = 2  # members on leave
    summary: str = ""  # the minutes' closing paragraph
    deputies_attending: int = 2  # city deputies invited to attend (列席)
    notice_days: int = 11  # notified this many days before


LEAVE_REASONS = [
    "因公出差，无法参加会议。",
    "参加苏州市人大常委会组织的专题培训。",
    "身体原因，正在住院治疗。",
    "参加省人大代表专题调研活动。",
    "承担疫情防控值守任务，无法离岗。",
    "带队赴外地开展招商活动。",
    "参加市委组织的专题学习班。",
    "家中有急事，特此请假。",
]

APPOINT_REPORTS = {
    "judge": "市人民法院院长提请任命的审判职务人员，已经过法律知识考试和任前公示，并在常委会会议上作供职发言。",
    "prosecutor": "市人民检察院检察长提请任命的检察职务人员，已经过法律知识考试和任前公示，"
                  "并在常委会会议上作供职发言。",
}

SESSIONS_2022: list[Session] = [
    Session(2, dt.date(2022, 2, 25), leave=2, items=(
        Item("听取和审议市人民政府关于全市新冠肺炎疫情防控和助力企业复工复产工作情况的报告",
             presenter="市人民政府副市长",
             description="报告全市疫情消杀队伍组建、重点场所防控和助企纾困政策落实情况。",
             decision="会议同意该报告。会议要求市人民政府慎终如始抓好常态化疫情防控，"
                      "落实落细助企纾困政策，帮助企业解决用工、物流、资金等突出问题。",
             document="市人民政府关于全市新冠肺炎疫情防控和助力企业复工复产工作情况的报告"),
        Item("审议《市人大常委会2022年度监督工作计划（草案）》", presenter="{secretary}",
             description="计划安排听取审议专项工作报告、执法检查、专题询问和法官检察官履职评议等监督项目。",
             decision="会议决定通过市人大常委会2022年度监督工作计划，由常委会办公室印发执行。",
             document="市人大常委会2022年度监督工作计划（草案）",
             vote="motion", vote_title="关于市人大常委会2022年度监督工作计划的决定"),
        Item("审议人事任免事项", presenter="市人民法院院长",
             description=APPOINT_REPORTS["judge"], decision="会议决定任命上述人员的审判职务。",
             vote="appointment", vote_title="任命审判职务人员", secret=True, appoint=(("judge", 2),)),
    ), summary="会议期间，常委会组成人员围绕疫情防控和复工复产提出了审议意见，"
               "由常委会办公室整理后送市人民政府研究处理。"),
    Session(3, dt.date(2022, 4, 27), leave=3, items=(
        Item("听取和审议市人民政府关于2022年市级民生实事项目推进情况的报告", presenter="市人民政府副市长",
             description="2022年市级民生实事项目由市十七届人大一次会议票决产生，报告逐项说明一季度进度和资金安排。",
             decision="会议同意该报告。会议要求市人民政府对进度滞后的项目挂图作战，按季度向常委会报告推进情况。",
             document="市人民政府关于2022年市级民生实事项目推进情况的报告"),
        Item("听取和审议市人民法院关于推进执行工作长效机制建设情况的报告", presenter="市人民法院院长",
             decision="会议同意该报告，要求市人民法院加大涉民生案件执行力度，推进执行信息化和联动机制建设。",
             document="市人民法院关于推进执行工作长效机制建设情况的报告"),
        Item("审议《太仓市人民代表大会常务委员会议事规则（修订草案）》", presenter="{office:fazhi}",
             description="根据新修改的地方组织法，完善会议召开、议案提出、审议和表决程序，明确主任会议职责。",
             decision="会议决定对议事规则作出修订，自公布之日起施行。",
             document="太仓市人民代表大会常务委员会议事规则（修订草案）",
             vote="motion", vote_title="关于修订《太仓市人民代表大会常务委员会议事规则》的决定"),
        Item("审议《太仓市人民代表大会常务委员会人事任免办法（修订草案）》", presenter="{office:fazhi}",
             description="完善任前法律知识考试、任前公示、供职发言和任后监督等环节。",
             decision="会议决定对人事任免办法作出修订，自公布之日起施行。",
             document="太仓市人民代表大会常务委员会人事任免办法（修订草案）",
             vote="motion", vote_title="关于修订《太仓市人民代表大会常务委员会人事任免办法》的决定"),
        Item("审议人事任免事项", presenter="市人民检察院检察长",
             description=APPOINT_REPORTS["prosecutor"], decision="会议决定任命上述人员的检察职务。",
             vote="appointment", vote_title="任命检察职务人员", secret=True, appoint=(("prosecutor", 2),)),
    ), summary="会后，修订后的议事规则和人事任免办法由常委会公告公布。"),
    Session(4, dt.date(2022, 6, 28), leave=2, items=(
        Item("听取和审议市人民政府关于2021年市级财政决算草案的报告", presenter="市财政局局长",
             description="2021年全市一般公共预算收入完成情况、支出结构和政府债务管理情况。",
             decision="会议决定批准2021年市级财政决算。",
             document="关于2021年市级财政决算草案的报告",
             vote="motion", vote_title="关于批准2021年市级财政决算的决议"),
        Item("听取和审议市人民政府关于2021年度市级预算执行和其他财政收支的审计工作报告", presenter="市审计局局长",
             decision="会议同意该报告，要求对审计查出的问题建立整改清单，年底前向常委会报告整改情况。",
             document="关于2021年度市级预算执行和其他财政收支的审计工作报告"),
        Item("听取和审议市人大常委会执法检查组关于检查《中华人民共和国安全生产法》实施情况的报告",
             presenter="市人大常委会副主任、执法检查组组长 {vice}",
             description="执法检查组赴6个镇（街道）和23家企业实地检查，召开座谈会4次。",
             decision="会议同意执法检查报告。审议意见于5个工作日内交市人民政府研究处理，并于6个月内报告处理情况。",
             document="关于检查《中华人民共和国安全生产法》实施情况的报告"),
        Item("审议《关于建立开发区人大工作协调会议制度和人大代表联席会议制度构建开发区人大一体化工作机制的意见（试行）》",
             presenter="{office:daibiao}",
             description="在太仓高新区建立开发区人大工作协调会议和人大代表联席会议，贯通区内市人大代表和街道议政代表的履职活动。",
             decision="会议决定通过该意见，在太仓高新区先行试行。",
             document="关于构建开发区人大一体化工作机制的意见（试行）",
             vote="motion", vote_title="关于通过开发区人大一体化工作机制意见（试行）的决定"),
        Item("审议人事任免事项", presenter="市人民法院院长",
             description=APPOINT_REPORTS["judge"], decision="会议决定任命上述人员的审判职务。",
             vote="appointment", vote_title="任命审判职务人员", secret=True, appoint=(("judge", 3),)),
    ), summary="会议强调，要以构建开发区人大一体化工作机制为抓手，推动人民代表大会制度向开发区有效延伸。"),
    Session(5, dt.date(2022, 8, 30), leave=4, items=(
        Item("听取和审议市人民政府关于2022年上半年国民经济和社会发展计划执行情况的报告",
             presenter="市发展和改革委员会主任",
             decision="会议同意该报告，要求统筹疫情防控和经济社会发展，确保完成全年目标任务。",
             document="关于2022年上半年国民经济和社会发展计划执行情况的报告"),
        Item("听取和审议市人民政府关于2022年上半年预算执行情况的报告", presenter="市财政局局长",
             decision="会议同意该报告，要求落实好组合式税费支持政策，兜牢基层“三保”底线。",
             document="关于2022年上半年预算执行情况的报告"),
        Item("听取市人大常委会关于法官、检察官履职评议工作开展情况的汇报", presenter="{office:jiansi}",
             description="8月11日召开动员部署会，首次对10名法官、6名检察官开展履职评议，"
                         "通过“访、查、听、评”从六个方面综合评议。",
             decision="会议要求评议组坚持依法监督、民主公开、务实求效，确保评议工作取得实效。",
             document="关于法官、检察官履职评议工作开展情况的汇报"),
        Item("审议人事任免事项", presenter="市人民检察院检察长",
             description=APPOINT_REPORTS["prosecutor"], decision="会议决定任命上述人员的检察职务。",
             vote="appointment", vote_title="任命检察职务人员", secret=True, appoint=(("prosecutor", 2),)),
    ), summary="会议期间，部分常委会组成人员和列席代表对上半年经济运行提出了意见和建议。"),
    Session(6, dt.date(2022, 10, 27), leave=3, deputies_attending=3, items=(
        Item("听取和审议市人民政府关于市十七届人大一次会议代表建议、批评和意见办理情况的报告",
             presenter="市人民政府副市长",
             description="大会期间代表提出的建议已全部答复，报告同时说明办成率和代表满意率。",
             decision="会议同意该报告，要求承办单位把“办成”作为办理工作的出发点和落脚点，对B类建议跟踪落实。",
             document="关于市十七届人大一次会议代表建议、批评和意见办理情况的报告"),
        Item("听取和审议市人民政府关于2021年度国有资产管理情况的综合报告", presenter="市财政局局长",
             decision="会议同意该报告，要求健全国有资产管理情况报告制度，盘活闲置资产。",
             document="关于2021年度国有资产管理情况的综合报告"),
        Item("听取和审议市人民政府关于2022年市级预算调整方案（草案）的报告", presenter="市财政局局长",
             description="因新增专项债券和疫情防控支出，调整2022年市级一般公共预算和政府性基金预算。",
             decision="会议决定批准2022年市级预算调整方案。",
             document="关于2022年市级预算调整方案（草案）的报告",
             vote="motion", vote_title="关于批准2022年市级预算调整方案的决议"),
        Item("听取和审议市人大常委会执法检查组关于检查《江苏省大气污染防治条例》实施情况的报告",
             presenter="市人大常委会副主任、执法检查组组长 {vice}",
             decision="会议同意执法检查报告，审议意见交市人民政府研究处理。",
             document="关于检查《江苏省大气污染防治条例》实施情况的报告"),
        Item("审议人事任免事项", presenter="市人民法院院长",
             description=APPOINT_REPORTS["judge"], decision="会议决定任命上述人员的审判职务。",
             vote="appointment", vote_title="任命审判职务人员", secret=True, appoint=(("judge", 3),)),
    ), summary="会议邀请部分市人大代表列席，听取代表对建议办理工作的意见。"),
    Session(7, dt.date(2022, 12, 6), leave=2, items=(
        Item("听取和审议市人大常委会关于法官、检察官履职评议情况的报告", presenter="{office:jiansi}",
             description="评议结果已反馈市人民法院、市人民检察院，并对整改情况跟踪监督，"
                         "实现任命人员任前、任中、任后“全链条”闭环监督。",
             decision="会议同意该报告。评议意见交两院研究处理，整改情况于3个月内书面报告常委会。",
             document="关于法官、检察官履职评议情况的报告"),
        Item("听取市人民政府关于2023年市级民生实事候选项目征集遴选情况的汇报", presenter="市人民政府副市长",
             description="通过网络、代表联络站和“民意高速通道”征集项目建议，初步遴选出20个候选项目，提请大会票决。",
             decision="会议同意将20个候选项目提请市十七届人大二次会议票决。",
             document="2023年市级民生实事候选项目汇总表"),
        Item("审议关于召开太仓市第十七届人民代表大会第二次会议的决定（草案）", presenter="{secretary}",
             description="建议市十七届人大二次会议于2023年1月7日召开，会期4天。",
             decision="会议决定太仓市第十七届人民代表大会第二次会议于2023年1月7日召开。",
             document="关于召开太仓市第十七届人民代表大会第二次会议的决定（草案）",
             vote="motion", vote_title="关于召开太仓市第十七届人民代表大会第二次会议的决定"),
        Item("审议人事任免事项", presenter="市人民法院院长、市人民检察院检察长",
             description=APPOINT_REPORTS["judge"] + APPOINT_REPORTS["prosecutor"],
             decision="会议决定任命上述人员的审判、检察职务。",
             vote="appointment", vote_title="任命审判、检察职务人员", secret=True, paper=True,
             appoint=(("judge", 2), ("prosecutor", 2))),
    ), summary="会议以无记名投票方式（纸质票）表决人事任免事项，由监票人、计票人清点选票后录入计票结果。"),
]


@dataclass(frozen=True)
class DirectorMeeting:
    number: int
    day: dt.date
    items: tuple[Item, ...]
    summary: str = ""


DIRECTOR_MEETINGS: list[DirectorMeeting] = [
    DirectorMeeting(9, dt.date(2022, 2, 15), items=(
        Item("研究确定2022年市人大常委会重点督办的代表建议", presenter="{office:daibiao}",
             description="从市十七届人大一次会议代表建议中，选取群众关注度高、涉及面广的建议作为重点督办建议。",
             decision="会议确定5件建议为2022年重点督办建议，由主任会议成员分别领衔督办，"
                      "承办单位制定办理计划，明确节点。",
             document="2022年重点督办建议（建议名单）"),
        Item("研究市人大常委会2022年度监督工作计划（草案）", presenter="{secretary}",
             decision="会议原则同意，提请常委会第二次会议审议。"),
        Item("研究市十七届人大常委会第二次会议议程（建议稿）", presenter="{secretary}",
             decision="会议建议常委会第二次会议于2月25日召开，同意会议议程（建议稿）。"),
    ), summary="会议由主任主持，副主任、秘书长出席，各工作委员会主任列席。"),
    DirectorMeeting(21, dt.date(2022, 7, 19), items=(
        Item("研究《市人大常委会法官、检察官履职评议工作方案》", presenter="{office:jiansi}",
             description="首次对10名法官、6名检察官开展履职评议，从政治能力、业务能力、工作绩效、服务群众、"
                         "执行制度、其他事项六个方面综合评议。",
             decision="会议决定通过该方案，8月召开动员部署会。",
             document="市人大常委会法官、检察官履职评议工作方案",
             vote="motion", vote_title="关于通过法官、检察官履职评议工作方案的决定"),
        Item("研究太仓高新区人大代表联席会议2022年第一次全体会议有关事项", presenter="{office:daibiao}",
             decision="会议同意于8月31日召开太仓高新区人大代表联席会议2022年第一次全体会议，"
                      "听取高新区重点项目建设情况汇报并开展满意度测评。"),
        Item("研究市十七届人大常委会第五次会议议程（建议稿）", presenter="{secretary}",
             decision="会议建议常委会第五次会议于8月30日召开，同意会议议程（建议稿）。"),
    ), summary="会议表决通过了履职评议工作方案，各工作委员会主任列席会议。"),
]

ZONE_ITEMS: tuple[Item, ...] = (
    Item("传达学习市委人大工作会议精神和开发区人大一体化工作机制的意见（试行）", presenter="{office:daibiao}",
         decision="会议要求以建立开发区人大代表联席会议制度为抓手，探索具有太仓特色的开发区人大工作机制。",
         document="关于构建开发区人大一体化工作机制的意见（试行）"),
    Item("听取高新区重点项目建设情况汇报", presenter="高新区管委会副主任",
         description="上半年高新区在建重点项目42个，其中新开工项目18个、竣工项目9个。",
         decision="代表们建议加快项目要素保障，推动签约项目早开工、开工项目早达产。",
         document="太仓高新区2022年重点项目建设情况汇报"),
    Item("听取高新区优化营商环境、助企纾困工作情况汇报", presenter="高新区经济发展部负责人",
         decision="代表们建议持续做好惠企政策直达快享，帮助中小企业稳岗拓市。",
         document="太仓高新区优化营商环境、助企纾困工作情况汇报"),
    Item("审议《太仓高新区人大代表联席会议2022年度活动计划》", presenter="联席会议召集人",
         decision="会议通过2022年度活动计划：视察重点项目、走访企业、开展“喜迎二十大 代表在行动”主题实践活动。",
         document="太仓高新区人大代表联席会议2022年度活动计划",
         vote="motion", vote_title="关于通过联席会议2022年度活动计划的决定"),
    Item("对高新区相关工作开展满意度测评", presenter="联席会议召集人",
         description="代表们对高新区重点项目建设和优化营商环境两项工作进行满意度测评。",
         decision="测评结果反馈高新区管委会，作为改进工作的依据。"),
)
ZONE_SATISFACTION = ["高新区重点项目建设工作", "高新区优化营商环境、助企纾困工作"]
ZONE_SUMMARY = ("高新区辖区内的45名市人大代表参加会议，市人大常委会副主任出席会议并讲话。会议要求，高新区要以建立"
                "开发区人大代表联席会议制度为抓手，更加扎实地推进高新区人大工作，更好地在高新区践行全过程人民民主。")

CONGRESS_ITEMS: tuple[Item, ...] = (
    Item("听取和审议市人民政府工作报告", presenter="市长",
         decision="大会表决通过了关于市人民政府工作报告的决议。", document="政府工作报告"),
    Item("审查和批准2022年国民经济和社会发展计划执行情况与2023年国民经济和社会发展计划",
         presenter="市发展和改革委员会主任", decision="大会批准2023年国民经济和社会发展计划。",
         document="关于2022年国民经济和社会发展计划执行情况与2023年计划草案的报告"),
    Item("审查和批准2022年市级预算执行情况和2023年市级预算", presenter="市财政局局长",
         decision="大会批准2023年市级预算。", document="关于2022年市级预算执行情况和2023年市级预算草案的报告"),
    Item("听取和审议市人大常委会工作报告", presenter="{director}",
         decision="大会表决通过了关于市人大常委会工作报告的决议。", document="太仓市人民代表大会常务委员会工作报告"),
    Item("听取和审议市人民法院工作报告和市人民检察院工作报告", presenter="市人民法院院长、市人民检察院检察长",
         decision="大会表决通过了关于市人民法院工作报告和市人民检察院工作报告的决议。"),
    Item("票决产生2023年市级民生实事项目", presenter="大会执行主席",
         description="市人民政府提出20个候选项目，代表以无记名投票方式每人最多选10个，按得票多少确定10个项目，"
                     "当选项目须获得过半数有效票。",
         decision="大会票决产生2023年市级民生实事项目10个，由市人民政府组织实施，市人大常委会跟踪监督。",
         document="2023年市级民生实事候选项目说明", vote="choice", vote_title="2023年市级民生实事项目票决",
         secret=True),
)
CONGRESS_SUMMARY = ("大会于2023年1月7日开幕，1月10日闭幕，会期4天。"
                    "大会以无记名投票方式票决产生了2023年市级民生实事项目，表决通过了各项决议。")


@dataclass(frozen=True)
class Project:
    name: str
    owner: str
    budget: int  # 万元
    weight: int  # how popular the project is with the deputies (drives the demo's ballots)


# 20 candidates for 10 places (DOMAIN §5). The weights keep a clear gap at the cut line.
PROJECTS_2023: list[Project] = [
    Project("新建和改扩建中小学、幼儿园8所", "市教育局", 68000, 96),
    Project("老旧小区改造和加装电梯工程", "市住房和城乡建设局", 21000, 93),
    Project("区域性养老服务中心和助餐点建设", "市民政局", 5600, 90),
    Project("基层医疗卫生机构提档升级", "市卫生健康委员会", 9800, 87),
    Project("农村生活污水治理提质增效", "市水务局", 12500, 84),
    Project("城乡公交线网优化和候车亭改造", "市交通运输局", 4300, 80),
    Project("“15分钟健身圈”体育设施建设", "市文体广电和旅游局", 3900, 77),
    Project("农贸市场标准化改造", "市商务局", 3600, 74),
    Project("城市积水点改造和排水管网完善", "市水务局", 8800, 71),
    Project("婴幼儿托育服务体系建设", "市卫生健康委员会", 2600, 68),
    Project("公共停车场和充电设施建设", "市城市管理局", 6200, 52),
    Project("困难群众救助帮扶提标扩面", "市民政局", 4100, 49),
    Project("就业创业服务“家门口”站点建设", "市人力资源和社会保障局", 1500, 46),
    Project("食品安全快检室建设", "市市场监督管理局", 900, 43),
    Project("城乡河道生态治理", "市水务局", 7300, 40),
    Project("背街小巷环境整治", "市城市管理局", 3200, 37),
    Project("智慧安防小区建设", "市公安局", 2800, 34),
    Project("公共图书馆分馆和城市书房建设", "市文体广电和旅游局", 1800, 31),
    Project("农村道路提档升级", "市交通运输局", 9600, 28),
    Project("应急避难场所建设", "市应急管理局", 2100, 25),
]

UPCOMING_ITEMS = (
    Item("听取和审议市人民政府关于{year}年市级民生实事项目实施情况的报告", presenter="市人民政府副市长",
         document="市人民政府关于{year}年市级民生实事项目实施情况的报告"),
    Item("听取和审议市人民政府关于{year}年度代表建议、批评和意见办理情况的报告", presenter="市人民政府副市长",
         document="关于{year}年度代表建议、批评和意见办理情况的报告"),
    Item("听取和审议市人民政府关于{year}年市级预算调整方案（草案）的报告", presenter="市财政局局长",
         document="关于{year}年市级预算调整方案（草案）的报告",
         vote="motion", vote_title="关于批准{year}年市级预算调整方案的决议"),
    Item("听取和审议市人大常委会执法检查组关于检查《中华人民共和国食品安全法》实施情况的报告",
         presenter="市人大常委会副主任、执法检查组组长 {vice}",
         document="关于检查《中华人民共和国食品安全法》实施情况的报告"),
)


# The body of a generated meeting document (a .docx): a few paragraphs under its title.
DOC_BODY = [
    "根据{meeting}的安排，现将有关情况报告如下，请予审议。",
    "一、基本情况。{description}",
    "二、主要做法。坚持以人民为中心的发展思想，加强统筹协调，细化责任分工，建立工作台账，按月调度推进，"
    "及时研究解决推进中遇到的困难和问题。",
    "三、存在的问题。部分工作推进不够平衡，基层反映的个别问题尚未得到有效解决，工作机制还需进一步健全完善。",
    "四、下一步打算。认真落实常委会组成人员的审议意见，聚焦重点难点，压实工作责任，确保各项工作取得实效。",
]
