"""The default suggestion categories. Idempotent: staff edits win."""

# code, name
DEFAULT_CATEGORIES = [
    ("economy", "工业经济"),
    ("urban", "城乡建设"),
    ("transport", "交通运输"),
    ("rural", "农业农村"),
    ("education", "教育科技"),
    ("health", "医疗卫生"),
    ("welfare", "社会保障"),
    ("environment", "生态环境"),
    ("governance", "社会治理"),
    ("law", "政法综治"),
    ("culture", "文化旅游"),
    ("other", "其他"),
]


def seed_categories(Category) -> int:
    created = 0
    for sort, (code, name) in enumerate(DEFAULT_CATEGORIES):
        _obj, was_created = Category.objects.get_or_create(code=code, defaults={"name": name, "sort": sort})
        created += was_created
    return created
