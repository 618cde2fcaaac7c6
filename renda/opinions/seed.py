"""The default opinion categories (also the Open311 service list). Idempotent: staff edits win."""

# code, name, group, description, keywords
DEFAULT_CATEGORIES = [
    ("urban", "城乡建设", "城市管理", "道路、老旧小区改造、加装电梯、市政设施", "道路,电梯,小区,改造,路灯"),
    ("traffic", "交通出行", "城市管理", "公交、停车、交通秩序、道路安全", "公交,停车,红绿灯,拥堵"),
    ("education", "教育", "社会事业", "学校、幼儿园、托育、课后服务", "学校,幼儿园,入学,托育"),
    ("health", "医疗卫生", "社会事业", "医院、社区卫生服务、医保", "医院,看病,医保,社区卫生"),
    ("welfare", "社会保障", "社会事业", "养老、低保、就业、残疾人服务", "养老,低保,就业,助餐"),
    ("environment", "生态环境", "城市管理", "污染、噪声、河道、垃圾分类", "噪声,河道,垃圾,污水"),
    ("market", "市场监管", "经济发展", "食品安全、消费维权、物价", "食品,消费,物价"),
    ("rural", "农业农村", "经济发展", "农田水利、村庄整治、农民增收", "农田,水利,村庄"),
    ("community", "社区治理", "基层治理", "物业管理、邻里纠纷、社区服务", "物业,纠纷,社区"),
    ("safety", "公共安全", "基层治理", "消防、治安、电动车充电", "消防,治安,充电"),
    ("culture", "文化体育", "社会事业", "文体设施、全民健身、公共文化", "健身,图书馆,文化"),
    ("other", "其他", "其他", "其他方面的意见建议", ""),
]


def seed_categories(Category) -> int:
    created = 0
    for sort, (code, name, group, description, keywords) in enumerate(DEFAULT_CATEGORIES):
        _obj, was_created = Category.objects.get_or_create(
            code=code, defaults={"name": name, "group": group, "description": description, "keywords": keywords,
                                 "sort": sort})
        created += was_created
    return created
