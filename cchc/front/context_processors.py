from django.urls import reverse


def navigation(request):
    items = [
        ("home", "Tổng quan", "bi-speedometer2"),
        ("plans:list", "Kế hoạch", "bi-journal-text"),
        ("units:list", "Đơn vị", "bi-diagram-3"),
    ]
    path = request.path
    nav = []
    for name, label, icon in items:
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        nav.append({"url": url, "label": label, "icon": icon, "active": active})
    return {"nav_items": nav}
