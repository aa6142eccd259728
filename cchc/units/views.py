import base64
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import DateField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from cchc.core.filetypes import UploadRejected, check_upload
from cchc.core.units.bodies import FIELD_LABELS, shown
from cchc.history.context import change_context

from . import bodies
from .models import Unit, UnitKind


def _date_param(request, name) -> datetime.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return DateField().clean(raw)  # accepts 30/06/2022 through the vi formats module
    except ValidationError:
        return None


@login_required
def unit_list(request):
    """The registry as a tree; a search or a date narrows it to matching units, still as a tree."""
    on = _date_param(request, "ngay")
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("loai", "")
    units = Unit.objects.with_tree_fields().order_siblings_by("kind", "name")
    filtered = query or kind or on
    if filtered:
        matches = Unit.objects.all()
        if query:
            matches = matches.search(query)
        if kind:
            matches = matches.filter(kind=kind)
        if on:
            matches = matches.valid_on(on)
        units = units.filter(pk__in=matches.values("pk"))
    return render(
        request,
        "units/unit_list.html",
        {
            "units": units[:2000],
            "filtered": filtered,
            "query": query,
            "kind": kind,
            "on": on,
            "kinds": UnitKind.choices,
            "can_import": bool(_importable_provinces(request.user)),
        },
    )


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": unit.children.order_by("kind", "name"),
            "predecessors": unit.successions_in.select_related("predecessor"),
            "successors": unit.successions_out.select_related("successor"),
            "aliases": unit.aliases.all(),
        },
    )


@login_required
def unit_search(request):
    """Suggestions for a unit picker (<datalist> options): name matches, current units first."""
    query = (request.GET.get("q") or request.GET.get("unit_code") or "").strip()
    units = Unit.objects.none()
    if len(query) >= 2:
        units = Unit.objects.search(query).order_by(
            "valid_to", "kind", "name"
        )[:20]
    return render(request, "units/_unit_options.html", {"units": units})


# Importing a province's bodies from .xlsx: upload, preview (dry run), then apply the same file.

_SALT = "cchc.units.bodies"


def _importable_provinces(user) -> list[Unit]:
    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).order_by("name")
    return [p for p in provinces if user.has_perm("units.import_bodies", p)]


def _chosen_province(request, provinces: list[Unit]) -> Unit:
    if not provinces:
        raise PermissionDenied("Chỉ điều phối viên CCHC của tỉnh mới nhập được danh mục cơ quan.")
    raw = request.POST.get("tinh") or request.GET.get("tinh")
    if not raw:
        return provinces[0]
    chosen = next((p for p in provinces if str(p.pk) == raw), None)
    if chosen is None:
        raise PermissionDenied("Bạn không quản lý danh mục cơ quan của tỉnh này.")
    return chosen


@login_required
def bodies_template(request):
    province = _chosen_province(request, _importable_provinces(request.user))
    response = HttpResponse(
        bodies.template(province), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="co-quan-{province.code}.xlsx"'
    return response


@login_required
def bodies_import(request):
    provinces = _importable_provinces(request.user)
    province = _chosen_province(request, provinces)
    context = {"provinces": provinces, "province": province, "errors": [], "plan": None}
    if request.method == "POST":
        try:
            if "payload" in request.POST:
                name, data = _unsigned(request.POST["payload"])
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    raise bodies.ImportRefused(["Chưa chọn tệp .xlsx."])
                if check_upload(upload, upload.name) != "xlsx":
                    raise bodies.ImportRefused([f"Tệp “{upload.name}”: cần tệp .xlsx theo mẫu."])
                name, data = upload.name, upload.read()
            if request.POST.get("apply"):
                with change_context(request=request, origin=f"units.import_bodies {name}"):
                    plan = bodies.apply(province, data, name)
                messages.success(
                    request,
                    f"Đã nhập {name}: thêm {plan.created}, sửa {plan.updated} cơ quan, "
                    f"{plan.successions} quan hệ kế thừa mới.",
                )
                return redirect(f"{reverse('units:list')}?q=")
            context["plan"] = bodies.dry_run(province, data, name)
            context["changes"] = [_shown_change(c) for c in context["plan"].changes if c.action != "unchanged"]
            context["name"] = name
            context["payload"] = signing.dumps({"name": name, "data": base64.b64encode(data).decode()},
                                               salt=_SALT, compress=True)
        except UploadRejected as rejected:
            context["errors"] = [str(rejected)]
        except bodies.ImportRefused as refused:
            context["errors"] = refused.errors[:100]
            context["more"] = max(0, len(refused.errors) - 100)
    return render(request, "units/bodies_import.html", context)


def _unsigned(payload: str) -> tuple[str, bytes]:
    try:
        value = signing.loads(payload, salt=_SALT, max_age=3600)
    except signing.BadSignature:
        raise bodies.ImportRefused(["Phiên xem trước đã hết hạn; hãy tải tệp lên lại."]) from None
    return value["name"], base64.b64decode(value["data"])


def _shown_change(change):
    fields = [(FIELD_LABELS.get(k, k), shown(old), shown(new)) for k, (old, new) in change.fields.items()]
    fields += [("Kế thừa từ", "—", f"{p} (từ {on:%d/%m/%Y})") for p, _s, on in change.successions]
    return {"line": change.line, "code": change.code, "name": change.name, "action": change.action, "fields": fields}
