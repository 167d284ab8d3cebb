"""`/login?next=` with control characters is refused as a target, never a 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import Auth

TARGETS = [
    "/projects/\r\nSet-Cookie: stolen=1",
    "/projects/\nX-Injected: 1",
    "/profile/\t",
    "/profile/\x00",
    "/profile/\u2028",
    "/profile/\x85",
]


@pytest.mark.parametrize("target", TARGETS)
def test_a_next_with_control_characters_goes_home(auth: Auth, target: str) -> None:
    response = auth.login("anna", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "stolen" not in str(response.headers)


def test_the_login_page_with_crlf_in_next_renders(client: FlaskClient) -> None:
    response = client.get("/login?next=/x%0d%0aSet-Cookie:%20stolen=1")
    assert response.status_code == 200
    assert "stolen" not in response.headers.get("Set-Cookie", "")
