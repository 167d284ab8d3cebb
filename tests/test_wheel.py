"""A non-editable install from the wheel serves every page: templates and static ship inside."""

from __future__ import annotations

import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RENDER_LOGIN = """
import annotator, sys
from annotator import create_app
assert "site-packages" in annotator.__file__, annotator.__file__
app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x" * 32})
client = app.test_client()
page = client.get("/login")
css = client.get("/static/css/app.css")
assert page.status_code == 200 and b'name="csrf_token"' in page.data, page.status_code
assert css.status_code == 200 and b"--accent" in css.data, css.status_code
print("login page ok from", annotator.__file__)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
    )  # fmt: skip
    return next(out.glob("annotator-*.whl"))


@pytest.mark.slow
def test_wheel_contains_templates_static_and_migrations(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "annotator/templates/base.html" in names
    assert "annotator/static/css/app.css" in names
    assert "annotator/migrations/env.py" in names
    assert any(n.startswith("annotator/migrations/versions/0001") for n in names)


@pytest.mark.slow
def test_installed_wheel_renders_the_login_page(wheel: Path, tmp_path: Path) -> None:
    """Install the wheel alone into a fresh venv; dependencies come from this venv's packages."""
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    # A plain path line (not addsitedir): this venv's editable-install hook is not loaded.
    (Path(purelib) / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    result = subprocess.run(
        [str(python), "-c", RENDER_LOGIN],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"ANNOTATOR_INSTANCE_PATH": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stdout
