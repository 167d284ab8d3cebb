"""The task queue and the processes around it: SQLite storage by default, Redis when
configured, a web process that never loads spaCy, and a worker that stops with the server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from flask import Flask
from huey import RedisHuey, SqliteHuey
from sqlalchemy import select

from annotator import create_app
from annotator.config import ConfigError
from annotator.pipelines.queue import enqueue_job, get_queue
from tests.conftest import make_config
from tests.live_server import annotator_command, free_port, running, server_env

REDIS = ("127.0.0.1", 6379)


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANNOTATOR_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_the_queue_is_a_sqlite_file_in_the_instance_folder_made_on_first_use(
    instance: Path,
) -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "k" * 32})
    assert not (instance / "queue.sqlite3").exists(), "creating the app opens nothing"
    queue = get_queue(app)
    assert isinstance(queue, SqliteHuey)
    enqueue_job(app, 7)
    assert (instance / "queue.sqlite3").exists()
    task = queue.dequeue()
    assert task is not None and task.args == (7,)
    assert task.name == "run_pipeline_job"


def test_a_redis_queue_url_builds_redis_storage_and_carries_jobs_when_redis_runs(
    instance: Path,
) -> None:
    """CI starts Redis (.ci/run), so there the message goes through it; where Redis is not
    running the configuration is still checked, without connecting."""
    url = "redis://:secret@127.0.0.1:6379/15"
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "k" * 32, "QUEUE_URL": url})
    queue = get_queue(app)
    assert isinstance(queue, RedisHuey)
    pool = queue.storage.pool
    assert pool.connection_kwargs | {"password": "secret"} == pool.connection_kwargs
    assert (pool.connection_kwargs["host"], pool.connection_kwargs["port"]) == REDIS
    assert pool.connection_kwargs["db"] == 15
    assert pool.connection_kwargs["socket_connect_timeout"] == 5, "a request never hangs on it"
    assert pool._created_connections == 0, "building the queue connects to nothing"
    assert not (instance / "queue.sqlite3").exists()
    if not _redis_runs():
        return
    app.config["QUEUE_URL"] = "redis://127.0.0.1:6379/15"
    app.extensions.pop("annotator.queue")
    queue = get_queue(app)
    queue.flush()
    enqueue_job(app, 42)
    assert queue.pending_count() == 1
    task = queue.dequeue()
    assert task is not None and task.args == (42,)
    queue.flush()


def _redis_runs() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("url", ["amqp://broker/", "postgresql://db/queue", "queue.sqlite3"])
def test_a_queue_url_the_worker_cannot_use_stops_the_app_at_start(instance: Path, url: str) -> None:
    with pytest.raises(ConfigError) as error:
        create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "k" * 32, "QUEUE_URL": url})
    assert "ANNOTATOR_QUEUE_URL must start with redis://" in str(error.value)


#: Serves the workspace and the admin pages (settings with a pipeline, Run now, import)
#: in a fresh interpreter, then says whether spaCy was imported.
WEB_PROCESS = textwrap.dedent(
    """
    import re, sys
    from annotator import create_app
    from tests.conftest import make_config, CSRF_INPUT, PASSWORD
    app = create_app(make_config(sys.argv[1], QUEUE_URL=sys.argv[2]))
    client = app.test_client()
    def token(path):
        return CSRF_INPUT.search(client.get(path).get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "admin", "password": PASSWORD,
                                "csrf_token": token("/login")})
    article = sys.argv[3]
    pages = ["/projects/default/", "/articles/" + article,
             "/api/v1/articles/%s/suggestions" % article, "/admin/projects/default/edit",
             "/admin/projects/default/suggestions/jobs",
             "/admin/projects/default/import", "/admin/projects/default/dashboard"]
    for path in pages:
        assert client.get(path).status_code == 200, path
    page = client.get("/admin/projects/default/edit").get_data(as_text=True)
    revision = re.search(r'name="revision" type="hidden" value="([0-9a-f]+)"', page).group(1)
    form = {"name": "Default project", "slug": "default", "overlap": "1", "revision": revision,
            "pipeline": sys.argv[4], "csrf_token": token("/profile/")}
    assert client.post("/admin/projects/default/edit", data=form).status_code == 302
    run = client.post("/admin/projects/default/suggestions/run",
                      data={"csrf_token": token("/profile/")})
    assert run.status_code == 302
    print(sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc")))
    """
)


def test_the_web_process_never_loads_spacy(
    migrated: str, users: dict[str, int], seed_article: int, tmp_path: Path
) -> None:
    pipeline = tmp_path / "some-model"
    pipeline.mkdir()
    queue = f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    args = [migrated, queue, str(seed_article), str(pipeline)]
    script = [sys.executable, "-c", WEB_PROCESS, *args]
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(script, capture_output=True, text=True, env=env, cwd=root, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def _worker_of(server: int) -> int:
    """The server's child that runs `annotator worker`, once it has started."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for child in _children(server):
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            if b"worker" in command:
                return child
        time.sleep(0.1)
    raise AssertionError("annotator serve started no background worker")


def _gone(pid: int) -> bool:
    """Exited: no such process, or a zombie waiting for a parent that reaps it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def _wait_gone(pid: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_serve_runs_the_worker_beside_it_and_leaves_no_orphan_when_it_stops(
    migrated: str, tmp_path: Path, stop: signal.Signals
) -> None:
    """Ctrl-C (SIGINT), a service manager's SIGTERM, even SIGKILL: the worker goes too."""
    port = free_port()
    env = server_env(migrated, ANNOTATOR_QUEUE_URL=f"sqlite:///{tmp_path / 'queue.sqlite3'}")
    command = annotator_command("serve", "--port", str(port), "--workers", "1")
    url = f"http://127.0.0.1:{port}"
    with running(command, env, url, tmp_path / "serve.log"):
        server = _server_pid(port)
        worker = _worker_of(server)
        assert not _gone(worker)
        os.kill(server, stop)
        assert _wait_gone(server), "the server did not stop"
        assert _wait_gone(worker), f"the worker outlived the server ({stop.name})"


def _server_pid(port: int) -> int:
    """The gunicorn arbiter listening on the port: the `annotator serve` process itself."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in command and str(port).encode() in command:
            return int(entry.name)
    raise AssertionError(f"no annotator serve on port {port}")


def test_the_worker_command_is_part_of_the_cli() -> None:
    app = create_app(make_config("sqlite://"))
    result = app.test_cli_runner().invoke(args=["worker", "--help"])
    assert result.exit_code == 0
    assert "pipeline jobs from the queue" in result.output
    serve = app.test_cli_runner().invoke(args=["serve", "--help"])
    assert "--no-background-worker" in serve.output, "production runs the worker on its own"


def test_a_job_cut_short_by_the_worker_stopping_is_marked_so(app: Flask) -> None:
    from annotator.extensions import db
    from annotator.models import PipelineJob, Project
    from annotator.pipelines import runner

    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project is not None
        job = PipelineJob(project_id=project.id, pipeline="p", reason="manual", status="running")
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    runner._running.add(job_id)
    try:
        runner.mark_interrupted(app)
    finally:
        runner._running.discard(job_id)
    with app.app_context():
        stopped = db.session.get(PipelineJob, job_id)
        assert stopped is not None
        assert (stopped.status, stopped.error) == ("failed", runner.INTERRUPTED)


def test_a_starting_worker_fails_the_running_jobs_of_a_worker_on_its_host_that_is_gone(
    app: Flask,
) -> None:
    import socket

    from annotator.extensions import db
    from annotator.models import PipelineJob, Project
    from annotator.pipelines import runner

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    workers = {"dead": f"{host}:{dead.pid}", "alive": f"{host}:{os.getpid()}"}
    workers["elsewhere"] = f"another-{host}:{dead.pid}"
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project is not None
        jobs = {
            name: PipelineJob(
                project_id=project.id, pipeline="p", reason="manual", status="running", worker=w
            )
            for name, w in workers.items()
        }
        db.session.add_all(jobs.values())
        db.session.commit()
        assert runner.fail_abandoned(db.session) == 1
        db.session.expire_all()
        states = {name: (job.status, job.error) for name, job in jobs.items()}
    assert states == {
        "dead": ("failed", runner.ABANDONED),
        "alive": ("running", None),
        "elsewhere": ("running", None),  # another host's process cannot be checked from here
    }
