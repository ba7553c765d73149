"""Regression: a list opened from the menu (no query string) shows its rows.

An unbound filter set is not "valid", and the list view used to answer an empty table for it.
"""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "url_name",
    [
        "core:unit_list",
        "core:peergroup_list",
        "indicators:indicator_list",
        "indicators:observation_list",
        "indicators:target_list",
    ],
)
def test_a_list_without_a_query_string_shows_every_visible_row(client_for, url_name):
    response = client_for("leader").get(reverse(url_name))
    assert response.status_code == 200
    assert response.context["table"].paginator.count > 0
