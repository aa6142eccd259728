"""The unit tree and the mergers are each read with one recursive query, whatever their depth."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.units.models import Succession, Unit

DAY = datetime.date(2025, 7, 1)


def unit(code, kind="commune", parent=None):
    return Unit.objects.create(code=code, name=f"Xã {code}", kind=kind, parent=parent)


def merge(successor, *predecessors):
    for old in predecessors:
        Succession.objects.create(predecessor=old, successor=successor, kind="merged_into", on=DAY)


@pytest.fixture
def chain(db):
    """A and B merged into C, then C and D into E (two rounds), under province P; F never merged."""
    province = unit("P", kind="province")
    a, b, c, d, e, f = (unit(code, parent=province) for code in "ABCDEF")
    merge(c, a, b)
    merge(e, c, d)
    return province, dict(A=a, B=b, C=c, D=d, E=e, F=f)


def ids(units, codes):
    return {units[code].pk for code in codes}


def counted(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, len(queries)


def test_predecessors_are_followed_through_every_round_in_one_query(chain):
    _, units = chain
    two_rounds, two_round_queries = counted(lambda: Unit.objects.with_predecessor_ids({units["E"].pk}))
    one_round, one_round_queries = counted(lambda: Unit.objects.with_predecessor_ids({units["C"].pk}))
    assert two_rounds == ids(units, "ABCDE")
    assert one_round == ids(units, "ABC")
    assert Unit.objects.with_predecessor_ids({units["F"].pk}) == ids(units, "F")
    assert two_round_queries == one_round_queries == 1


def test_reach_is_the_subtree_plus_its_predecessors_in_one_query(chain):
    province, units = chain
    city = unit("Q", kind="province")
    moved = unit("G", parent=city)
    merge(units["E"], moved)  # a unit of another province merged into one of P's
    reach, queries = counted(lambda: Unit.objects.reach_ids(province))
    assert reach == {province.pk, moved.pk} | ids(units, "ABCDEF")
    assert queries == 1
    assert reach == Unit.objects.with_predecessor_ids(Unit.objects.subtree_ids(province))


def test_ancestors_nearest_first_in_one_query(db):
    province = unit("P", kind="province")
    district = unit("H", kind="district", parent=province)
    office = unit("O", kind="office", parent=unit("X", parent=district))
    ancestors, queries = counted(lambda: Unit.objects.ancestor_ids(office))
    assert ancestors == [office.parent_id, district.pk, province.pk]
    assert queries == 1
    assert Unit.objects.ancestor_ids(province) == []


def test_a_cycle_of_successions_ends(chain):
    _, units = chain
    merge(units["A"], units["E"])  # bad data: E "merged into" A, closing a loop
    assert Unit.objects.with_predecessor_ids({units["A"].pk}) == ids(units, "ABCDE")
