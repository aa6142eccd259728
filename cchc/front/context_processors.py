from django.urls import reverse

NAVIGATION = [
    ("home", "Tổng quan", "bi-speedometer2"),
    ("tracking:my_work", "Việc của tôi", "bi-list-check"),
    ("tracking:dashboard", "Bảng điều khiển", "bi-bar-chart"),
    ("plans:list", "Kế hoạch", "bi-journal-text"),
    ("reporting:periods", "Báo cáo", "bi-clipboard-data"),
    ("surveys:round_list", "Khảo sát", "bi-emoji-smile"),
    ("par:rounds", "Chỉ số CCHC", "bi-trophy"),
    ("units:list", "Đơn vị", "bi-diagram-3"),
]


def navigation(request):
    items = [{"url": reverse(name), "label": label, "icon": icon} for name, label, icon in NAVIGATION]
    # The longest URL that prefixes the path is the current section ("/" only matches itself).
    matches = [i for i in items if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))]
    current = max(matches, key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["active"] = item is current
    return {"nav_items": items}
