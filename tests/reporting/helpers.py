from __future__ import annotations

from decimal import Decimal

from cchc.core.statforms import format_vn_number


def vn(value) -> str:
    """A seed number typed the Vietnamese way, with the decimals it has: 238144 -> "238.144"."""
    d = Decimal(str(value))
    exponent = d.as_tuple().exponent
    return format_vn_number(d, max(0, -exponent))


def grid_post(values: dict, notes: dict | None = None, action: str = "save") -> dict:
    data = {f"v-{code}": vn(v) if not isinstance(v, str) else v for code, v in values.items()}
    data |= {f"n-{code}": text for code, text in (notes or {}).items()}
    data["action"] = action
    return data


def submission_of(period, unit):
    from cchc.reporting.models import Submission

    return Submission.objects.get(period=period, unit=unit)


def enter(client, period, unit, values, notes=None, action="save"):
    """Open the unit's submission through the pages and post the grid; returns (submission, response)."""
    opened = client.get(f"/bao-cao/ky/{period.pk}/don-vi/{unit.pk}/")
    assert opened.status_code == 302, opened.status_code
    submission = submission_of(period, unit)
    response = client.post(f"/bao-cao/so-lieu/{submission.pk}/", grid_post(values, notes, action))
    return submission, response
