"""The Kubernetes manifests (deploy/kubernetes), rendered with kustomize and checked without a cluster.

Each overlay is rendered by `kubectl kustomize` (kustomize built into kubectl) and every object is
validated against the Kubernetes API's JSON schemas shipped by kubernetes-validate; the tests then
read the objects as a cluster would: which pods a Service or budget selects, what a container runs.
"""

import base64
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from django.conf import settings

from .unavailable import unavailable

BASE_DIR = Path(__file__).resolve().parents[2]
KUBERNETES_DIR = BASE_DIR / "deploy" / "kubernetes"
# The oldest Kubernetes release still supported upstream when these manifests were written.
KUBERNETES_VERSION = "1.32"
OVERLAYS = ["dev", "prod"]
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "Job"}
DEFAULT_QUEUE = "celery"
# Read by others than the application: boto3 (S3 credentials) and the PgBouncer image.
NOT_APPLICATION_VARIABLES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PGBOUNCER_DATABASE_URL"}
# README variables a cluster need not set: the broker is the Redis of REDIS_URL, and AWS itself
# needs no endpoint (only other S3-compatible services do).
LEFT_TO_DEFAULTS = {"CELERY_BROKER_URL", "AWS_S3_ENDPOINT_URL"}


def kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        unavailable("kubectl (with its built-in kustomize) is not installed")
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, list[dict]]:
    """Every overlay's objects. The prod Secret's source is written from its committed example."""
    tree = tmp_path_factory.mktemp("kubernetes") / "kubernetes"
    shutil.copytree(KUBERNETES_DIR, tree)
    prod = tree / "overlays" / "prod"
    shutil.copy(prod / "secrets.env.example", prod / "secrets.env")
    objects = {}
    for overlay in OVERLAYS:
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [kubectl(), "kustomize", str(tree / "overlays" / overlay)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        objects[overlay] = [document for document in yaml.safe_load_all(result.stdout) if document]
    return objects


def of_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {item["metadata"]["name"]: item for item in objects if item["kind"] == kind}


def workloads(objects: list[dict]) -> dict[str, dict]:
    return {item["metadata"]["name"]: item for item in objects if item["kind"] in WORKLOAD_KINDS}


def containers(workload: dict) -> list[dict]:
    pod = workload["spec"]["template"]["spec"]
    return [*pod.get("initContainers", []), *pod["containers"]]


def selects(selector: dict, workload: dict) -> bool:
    labels = workload["spec"]["template"]["metadata"]["labels"]
    return all(labels.get(key) == value for key, value in selector["matchLabels"].items())


def environment_keys(objects: list[dict]) -> set[str]:
    """The variables the ConfigMap and the Secret give the application."""
    (config,) = of_kind(objects, "ConfigMap").values()
    (secret,) = of_kind(objects, "Secret").values()
    return set(config["data"]) | set(secret["data"])


def secret_value(objects: list[dict], key: str) -> str:
    (secret,) = of_kind(objects, "Secret").values()
    return base64.b64decode(secret["data"][key]).decode()


def readme_variables() -> set[str]:
    """Every variable named in the first column of the README's configuration table."""
    readme = (BASE_DIR / "README.md").read_text()
    table = readme[readme.index("| variable | default | meaning |") :].split("\n\n", 1)[0]
    names = set()
    for row in table.splitlines()[2:]:
        first_cell = row.split("|")[1]
        names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def worker_queues(objects: list[dict]) -> dict[str, set[str]]:
    """Each Celery worker Deployment's queues, from its --queues option."""
    queues = {}
    for name, workload in workloads(objects).items():
        command = workload["spec"]["template"]["spec"]["containers"][0].get("command", [])
        if command[:4] == ["celery", "-A", "config", "worker"]:
            (option,) = [argument for argument in command if argument.startswith("--queues=")]
            queues[name] = set(option.removeprefix("--queues=").split(","))
    return queues


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_rendered_object_is_valid_against_the_kubernetes_api_schemas(rendered, overlay):
    for item in rendered[overlay]:
        kubernetes_validate.validate(item, KUBERNETES_VERSION, strict=True)


def test_the_schema_validation_refuses_a_mistake():
    # A probe's port spelled as a list: the kind of slip the validation is there to catch.
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web"},
        "spec": {
            "containers": [{"name": "web", "image": "x", "readinessProbe": {"httpGet": {"port": [8000]}}}]
        },
    }

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(pod, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_resource_requests_and_limits(rendered, overlay):
    for name, workload in workloads(rendered[overlay]).items():
        for container in containers(workload):
            resources = container.get("resources", {})
            assert {"cpu", "memory"} <= set(resources.get("requests", {})), (name, container["name"])
            assert {"cpu", "memory"} <= set(resources.get("limits", {})), (name, container["name"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_web_is_ready_on_readyz_and_alive_on_healthz(rendered, overlay):
    (web,) = workloads(rendered[overlay])["lms-web"]["spec"]["template"]["spec"]["containers"]

    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["port"] == web["ports"][0]["name"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_web_autoscales_and_a_disruption_budget_covers_its_pods(rendered, overlay):
    objects = rendered[overlay]
    web = workloads(objects)["lms-web"]
    (autoscaler,) = of_kind(objects, "HorizontalPodAutoscaler").values()
    budgets = [
        budget
        for budget in of_kind(objects, "PodDisruptionBudget").values()
        if selects(budget["spec"]["selector"], web)
    ]

    assert autoscaler["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "lms-web",
    }
    assert autoscaler["spec"]["minReplicas"] <= web["spec"]["replicas"] <= autoscaler["spec"]["maxReplicas"]
    assert len(budgets) == 1


def test_in_production_a_disruption_keeps_a_web_pod_serving(rendered):
    (budget,) = [
        b
        for b in of_kind(rendered["prod"], "PodDisruptionBudget").values()
        if b["metadata"]["name"] == "lms-web"
    ]
    (autoscaler,) = of_kind(rendered["prod"], "HorizontalPodAutoscaler").values()

    assert budget["spec"]["minAvailable"] >= 1
    assert autoscaler["spec"]["minReplicas"] > budget["spec"]["minAvailable"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_services_and_the_ingress_reach_existing_pods(rendered, overlay):
    objects = rendered[overlay]
    services = of_kind(objects, "Service")
    for name, service in services.items():
        assert any(
            selects({"matchLabels": service["spec"]["selector"]}, workload)
            for workload in workloads(objects).values()
        ), name
    (ingress,) = of_kind(objects, "Ingress").values()
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]

    assert backend["name"] in services
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]
    assert ingress["spec"]["tls"][0]["secretName"]


def test_workers_consume_every_queue_with_mail_and_certificates_in_pools_of_their_own(rendered):
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    queues = worker_queues(rendered["prod"])
    (mail_pool,) = [name for name, consumed in queues.items() if "mail" in consumed]
    (certificate_pool,) = [name for name, consumed in queues.items() if "certificates" in consumed]

    assert {"mail", "certificates"} <= routed
    assert set().union(*queues.values()) == routed | {DEFAULT_QUEUE}
    assert mail_pool != certificate_pool


def test_mail_and_certificate_tasks_are_routed_to_their_queues():
    from config.celery import app

    def queue_of(task: str) -> str:
        return app.amqp.router.route({}, task)["queue"].name

    assert queue_of("lms_site.tasks.send_email") == "mail"
    assert queue_of("learners.tasks.render_certificate") == "certificates"
    assert queue_of("catalog.tasks.publish_scheduled") == DEFAULT_QUEUE


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_beat_runs_exactly_once_even_during_a_rollout(rendered, overlay):
    objects = rendered[overlay]
    (beat,) = [
        workload
        for workload in workloads(objects).values()
        if workload["spec"]["template"]["spec"]["containers"][0].get("command", [])[3:4] == ["beat"]
    ]
    scaled = {
        autoscaler["spec"]["scaleTargetRef"]["name"]
        for autoscaler in of_kind(objects, "HorizontalPodAutoscaler").values()
    }

    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"
    assert beat["metadata"]["name"] not in scaled


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migrations_run_in_a_job_and_web_pods_wait_for_them(rendered, overlay):
    objects = rendered[overlay]
    (job,) = of_kind(objects, "Job").values()
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    (wait,) = workloads(objects)["lms-web"]["spec"]["template"]["spec"]["initContainers"]

    assert "manage.py migrate --noinput" in shlex.join(migrate["command"])
    assert "manage.py migrate --check" in shlex.join(wait["command"])
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_application_container_reads_the_rendered_configmap_and_secret(rendered, overlay):
    objects = rendered[overlay]
    (config,) = of_kind(objects, "ConfigMap")
    (secret,) = of_kind(objects, "Secret")
    for name, workload in workloads(objects).items():
        for container in containers(workload):
            if container["image"].rsplit(":", 1)[0].endswith("learning-platform"):
                sources = container["envFrom"]
                assert {"configMapRef": {"name": config}} in sources, name
                assert {"secretRef": {"name": secret}} in sources, name


def test_configuration_covers_the_readme_table_and_nothing_unknown(rendered):
    keys = environment_keys(rendered["prod"])
    documented = readme_variables()

    assert documented - LEFT_TO_DEFAULTS <= keys
    assert keys - documented <= NOT_APPLICATION_VARIABLES


def test_production_reaches_postgresql_and_redis_by_url_and_development_runs_them(rendered):
    def images(objects):
        return {c["image"].split(":")[0] for w in workloads(objects).values() for c in containers(w)}

    assert not {"postgres", "redis"} & images(rendered["prod"])
    assert {"postgres", "redis"} <= images(rendered["dev"])
    assert "DATABASE_REPLICA_URL" in environment_keys(rendered["prod"])


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_application_goes_through_pgbouncer_in_transaction_mode(rendered, overlay):
    objects = rendered[overlay]
    (pgbouncer,) = workloads(objects)["lms-pgbouncer"]["spec"]["template"]["spec"]["containers"]
    environment = {variable["name"]: variable.get("value") for variable in pgbouncer["env"]}
    (config,) = of_kind(objects, "ConfigMap").values()

    assert environment["POOL_MODE"] == "transaction"
    assert secret_value(objects, "DATABASE_URL").split("@")[1].startswith("lms-pgbouncer:")
    assert config["data"]["DATABASE_TRANSACTION_POOLING"] == "true"
    assert int(config["data"]["CONN_MAX_AGE"]) > 0
    assert "lms-pgbouncer" not in secret_value(objects, "DATABASE_DIRECT_URL")
