"""`flowlane`: start the pieces (up, web, worker, scheduler, sandbox) and work with
workflows from a terminal (import, export, run, validate, db upgrade)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from server.config import Config


def _config() -> Config:
    return Config.from_env()


def _redis_url(config: Config, launch: bool = False) -> str:
    """REDIS_URL, or the embedded Redis `flowlane up` started (its URL is in the data dir)."""
    if config.redis_url:
        return config.redis_url
    marker = config.data_dir / "redis.url"
    if marker.exists():
        import redis

        url = marker.read_text().strip()
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            return url
        except redis.RedisError:
            pass
    if launch:
        from server.redis_server import ensure_redis_url

        url, server = ensure_redis_url("", config.data_dir)
        _embedded.append(server)
        return url
    raise click.ClickException(
        "No Redis: set REDIS_URL, or start Flowlane with `flowlane up` (it launches one)."
    )


_embedded: list[Any] = []


def _services(config: Config, launch_redis: bool = False) -> Any:
    from server.services import Services

    return Services(config, _redis_url(config, launch_redis))


def _load_json_file(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text())
    except OSError as err:
        raise click.ClickException(f"Cannot read {path}: {err.strerror}.") from None
    except ValueError as err:
        raise click.ClickException(f"{path} is not valid JSON: {err}.") from None


@click.group()
@click.option("--server", envvar="FLOWLANE_SERVER", metavar="URL",
              help="Work against this Flowlane server's API instead of the local database "
                   "(import, export, run, validate).")
@click.option("--token", envvar="FLOWLANE_TOKEN", help="An API token for --server.")
@click.pass_context
def main(ctx: click.Context, server: str | None, token: str | None) -> None:
    """Flowlane: workflow automation for sales teams on HighLevel."""
    if server:
        from server.cli_remote import Remote

        ctx.obj = Remote(server, token)


def _remote() -> Any:
    return click.get_current_context().find_root().obj


# -- running Flowlane --------------------------------------------------------------------------


@main.command()
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default FLOWLANE_WORKERS or 2).")
@click.option("--port", type=click.IntRange(1, 65535), default=None)
def up(workers: int | None, port: int | None) -> None:
    """Everything on one machine: migrations, Redis, web, workers, scheduler, sandbox."""
    from server import sandbox_child
    from server.db import migrate
    from server.services import Services
    from server.supervisor import Child, Supervisor, flowlane_command
    from server.tables.presets import ensure_presets

    config = _config()
    port = port or config.port
    config.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(config.database)
    redis_url = _redis_url(config, launch=True)
    svc = Services(config, redis_url)
    _first_owner(svc, config)
    ensure_presets(svc.db)
    if _embedded:
        (config.data_dir / "redis.url").write_text(redis_url)
    flowlane_url = f"http://{config.host}:{port}"
    children = [
        Child("web", flowlane_command("web", "--port", str(port))),
        Child("worker", flowlane_command("worker", "-n", str(workers or config.workers))),
        Child("scheduler", flowlane_command("scheduler")),
    ]
    sandbox = sandbox_child.wanted(config, svc)
    if sandbox:
        children.append(sandbox_child.child(config, flowlane_url))

    def started() -> None:
        click.echo(f"Flowlane is running at {flowlane_url}/  (Ctrl-C stops it)")
        click.echo(f"  database: {config.database.split('://')[0]}, redis: {redis_url}, "
                   f"workers: {workers or config.workers}")
        if sandbox:
            try:
                sandbox_child.connect(config, svc)
                click.echo(f"  HighLevel sandbox: {sandbox_child.url(config)} "
                           "(connection \"HighLevel (sandbox)\")")
            except TimeoutError as err:
                click.echo(f"  HighLevel sandbox: not started ({err})", err=True)

    env = {"REDIS_URL": redis_url, "FLOWLANE_PORT": str(port)}
    try:
        Supervisor(children, env).run(on_started=started)
    finally:
        svc.close()
        for server in _embedded:
            server.stop()
        (config.data_dir / "redis.url").unlink(missing_ok=True)


def _first_owner(svc: Any, config: Config) -> None:
    """On an empty database, create the owner and print the password once."""
    from server.auth.users import ensure_owner

    with svc.db.session() as session:
        password = ensure_owner(session, config.owner_email, config.owner_password)
        session.commit()
    if password:
        click.echo("=" * 72)
        click.echo(f"First start: sign in as {config.owner_email} with the password")
        click.echo(f"    {password}")
        click.echo("It is shown only now; you will be asked to choose your own.")
        click.echo("=" * 72)


@main.command()
@click.option("--host", default=None)
@click.option("--port", type=click.IntRange(1, 65535), default=None)
@click.option("--threads", type=click.IntRange(1, 1000), default=64)
def web(host: str | None, port: int | None, threads: int) -> None:
    """The web server: API, webhooks, Socket.IO and the editor."""
    from gunicorn.app.base import BaseApplication

    from server.app import create_app

    config = _config()
    redis_url = _redis_url(config, launch=True)
    app = create_app(config, redis_url)
    bind = f"{host or config.host}:{port or config.port}"

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            # One process with threads: Socket.IO's long-polling needs one process (or
            # sticky sessions), and threads serve webhooks concurrently.
            for key, value in {"bind": bind, "workers": 1, "worker_class": "gthread",
                               "threads": threads, "timeout": 120, "accesslog": None,
                               "graceful_timeout": 5}.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    Server().run()


@main.command()
@click.option("-n", "--count", type=click.IntRange(1, 64), default=1,
              help="Worker processes to start and watch.")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(count: int, burst: bool) -> None:
    """Execute runs from the queue (start any number, on any number of machines)."""
    config = _config()
    redis_url = _redis_url(config)
    if count > 1:
        from server.supervisor import Child, Supervisor, flowlane_command

        children = [Child(f"worker-{i + 1}", flowlane_command("worker")) for i in range(count)]
        sys.exit(Supervisor(children, {"REDIS_URL": redis_url}).run())
    import os

    import redis
    from rq.serializers import JSONSerializer

    from server import keys
    from server.runs.rq_worker import RunWorker
    from server.runs.worker import services

    os.environ["REDIS_URL"] = redis_url
    services()  # connect before the first job, not during it
    connection = redis.Redis.from_url(redis_url)
    from rq import Queue

    queue = Queue(keys.RUNS_QUEUE, connection=connection, serializer=JSONSerializer)
    RunWorker([queue], connection=connection, serializer=JSONSerializer).work(
        burst=burst, logging_level="WARNING")


@main.command()
def scheduler() -> None:
    """Fire schedule triggers and sweep up lost runs (one leader among many)."""
    import signal

    from server.scheduler import Scheduler

    runner = Scheduler(_services(_config()))
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    try:
        runner.run_forever()
    except KeyboardInterrupt:
        runner.stop()


# -- the database ------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.argument("revision", default="heads")
def db_upgrade(revision: str) -> None:
    """Apply migrations (default: all of them)."""
    from server.db import migrate

    config = _config()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(config.database, revision)
    click.echo(f"database is at {revision}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION ("base" reverts all)."""
    from server.db import migrate

    migrate.downgrade(_config().database, revision)


@db.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the models (for developers)."""
    from server.db import migrate

    migrate.revision(_config().database, message)


# -- workflows ---------------------------------------------------------------------------------


def _print_problems(report: Any) -> None:
    for problem in report.errors + report.warnings:
        where = f" [{problem.node_id}]" if problem.node_id else ""
        click.echo(f"  {problem.severity}{where} {problem.pointer or '/'}: {problem.message}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
def validate(file: str) -> None:
    """Check a workflow file; exits 1 when it has errors."""
    from server.engine.validate import validate as check

    if (remote := _remote()) is not None:
        result = remote.validate(_load_json_file(file))
        for problem in result["errors"] + result["warnings"]:
            click.echo(f"  {problem['severity']} {problem['pointer'] or '/'}: "
                       f"{problem['message']}")
        if not result["valid"]:
            raise click.ClickException(f"{file}: {len(result['errors'])} error(s)")
        click.echo(f"{file}: valid")
        return
    report = check(_load_json_file(file))
    _print_problems(report)
    if not report.ok:
        raise click.ClickException(f"{file}: {len(report.errors)} error(s)")
    click.echo(f"{file}: valid" + (f" ({len(report.warnings)} warning(s))"
                                   if report.warnings else ""))


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--activate", is_flag=True, help="Activate it after importing.")
@click.option("--from", "source", type=click.Choice(["flowlane", "n8n"]), default="flowlane",
              help="The file's format: a Flowlane workflow, or an n8n workflow export.")
def import_(file: str, activate: bool, source: str) -> None:
    """Import a workflow file as a new workflow."""
    from server.engine.validate import validate as check
    from server.workflows import activation, store

    if source == "n8n":
        from server.importers.n8n import cli as n8n

        if (remote := _remote()) is not None:
            return n8n.import_remote(file, activate, remote)
        return n8n.import_local(file, activate, lambda: _services(_config()))
    document = _load_json_file(file)
    if (remote := _remote()) is not None:
        workflow = remote.import_(document, activate)
        click.echo(f"imported workflow {workflow['id']}: {workflow['name']}")
        return
    report = check(document)
    _print_problems(report)
    if not report.ok:
        raise click.ClickException(f"{file}: not imported, {len(report.errors)} error(s)")
    svc = _services(_config())
    with svc.db.session() as session:
        workflow = store.create(session, document)
        if activate:
            activation.activate(session, workflow)
        session.commit()
        click.echo(f"imported workflow {workflow.id}: {workflow.name}")


@main.command()
@click.argument("workflow_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File (default: stdout).")
def export(workflow_id: int, output: str | None) -> None:
    """Print (or write) a workflow's document as JSON."""
    from server.errors import NotFound
    from server.workflows import store

    if (remote := _remote()) is not None:
        document = remote.export(workflow_id)
    else:
        svc = _services(_config())
        with svc.db.session() as session:
            try:
                document = store.export(store.get(session, workflow_id))
            except NotFound as err:
                raise click.ClickException(err.detail) from None
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if output:
        Path(output).write_text(text + "\n")
    else:
        click.echo(text)


@main.command()
@click.argument("target")
@click.option("--input", "input_json", help="Trigger data as JSON (an object or a list).")
@click.option("--wait", is_flag=True, help="Follow the run and print each step.")
@click.option("--timeout", type=float, default=600, help="Seconds --wait waits at most.")
def run(target: str, input_json: str | None, wait: bool, timeout: float) -> None:
    """Run a workflow (an id, or a file: saved first, as a new version if it changed)."""
    from server.cli_run import follow, prepare

    payload = None
    if input_json is not None:
        try:
            payload = json.loads(input_json)
        except ValueError as err:
            raise click.ClickException(f"--input is not valid JSON: {err}.") from None
    if (remote := _remote()) is not None:
        run_id = remote.run(target, payload, _load_json_file)
        click.echo(f"run {run_id} queued")
        if wait:
            sys.exit(0 if remote.follow(run_id, timeout) == "succeeded" else 1)
        return
    svc = _services(_config())
    run_id = prepare(svc, target, payload, _load_json_file)
    click.echo(f"run {run_id} queued")
    if wait:
        status = follow(svc, run_id, timeout)
        sys.exit(0 if status == "succeeded" else 1)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                "help_option_names": []})
@click.pass_context
def sandbox(ctx: click.Context) -> None:
    """A local HighLevel API simulator (see sandbox/README.md for its options)."""
    try:
        from sandbox.server import main as sandbox_main
    except ImportError:
        raise click.ClickException("the sandbox is not installed in this build") from None
    sandbox_main(ctx.args)


def _register_admin_commands() -> None:
    from server.cli_admin import secrets_group, users_group

    main.add_command(users_group)
    main.add_command(secrets_group)


_register_admin_commands()

if __name__ == "__main__":
    main()
