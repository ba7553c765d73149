"""The rows of a list table, written by core.tables.rows_html, are the cells django_tables2's
own template writes: same text, same attributes, same links, for every table of the site."""

import re

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import get_resolver, reverse
from django_tables2 import RequestConfig

from shouwei.core.generic import naming

# The tbody loop of django_tables2/bootstrap5.html (3.0), which rows_html replaces.
TABLES2_ROWS = (
    "{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>"
    "{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>"
    "{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}"
    "{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>"
    "{% endfor %}</tr>{% empty %}{% if table.empty_text %}"
    '<tr><td colspan="{{ table.columns|length }}">{{ table.empty_text }}</td></tr>'
    "{% endif %}{% endfor %}"
)


def _viewsets():
    get_resolver().url_patterns  # noqa: B018 - the URL conf declares the view sets
    return sorted(
        (vs for vs in naming._viewsets.values() if vs.table is not None),
        key=lambda vs: vs.model._meta.label,
    )


def _table(viewset, request):
    view = viewset(action="list")
    view.request = request
    table = viewset.table(view.get_queryset())
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return table


def _normalized(html) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.django_db
def test_rows_are_the_cells_the_tables2_template_writes(django_user_model):
    admin = django_user_model.objects.get(username="admin")
    template = engines["django"].from_string(TABLES2_ROWS)
    ours = engines["django"].from_string("{% table_rows table %}")
    compared = 0
    request = RequestFactory().get("/")
    request.user = admin
    for viewset in _viewsets():
        # A table of its own for each: rows count on for even/odd across renders.
        table = _table(viewset, request)
        expected = template.render({"table": table}, request)
        actual = ours.render({"table": _table(viewset, request)}, request)
        assert _normalized(actual) == _normalized(expected), viewset.model._meta.label
        compared += bool(table.rows)
    assert compared >= 15  # the demo fills most lists; an empty one still shows its text


@pytest.mark.django_db
def test_linked_cells_point_where_reverse_says(client_for):
    """The record links of a list page are reverse()'s addresses, pk by pk."""
    cases = [
        ("projects:project_list", "projects:project_detail"),
        ("indicators:observation_list", "indicators:observation_detail"),
        ("indicators:indicator_list", "indicators:indicator_detail"),
        ("core:unit_list", "core:unit_detail"),
    ]
    client = client_for("leader")
    for list_name, detail_name in cases:
        response = client.get(reverse(list_name))
        assert response.status_code == 200
        table = response.context["table"]
        html = response.content.decode()
        records = [row.record for row in table.paginated_rows]
        assert records, list_name
        for record in records:
            assert f'href="{reverse(detail_name, args=[record.pk])}"' in html, (list_name, record)
