#!/usr/bin/env python3
"""Publishes a registry release to a Distribution registry the way upstream's tools do (spec
registry-releases.md §5), for the tests: independent clients, not this project's code.

    registry_release_lab.py --registry 127.0.0.1:PORT --work DIR [--version 1.0.3] [--channel stable]
        [--skip WHAT]... [--document-channel NAME] [--release-as-image]

- charts: six test charts of this project's own (sebastian 0.0.1; pgbouncer, temporal,
  temporal-worker, workflow-worker, email-service 0.1.0), packaged and pushed with the Helm engine
  (helm-python-sdk: `helm package`, `helm push` to oci://REGISTRY/nine-minds/charts);
- images: one small linux/amd64 image each for alga-psa-ee, workflow-worker, email-service,
  temporal-worker, alga-appliance-control-plane and alga-appliance-support-agent, pushed with oras-py;
- the config bundle: a Flux artifact of a flux/ folder (tar+gzip layer, Flux's config media type,
  source/revision/created annotations, as `flux push artifact` writes it), pushed with oras-py to
  nine-minds/alga-appliance-config:VERSION;
- the release: the document as the config blob and as its one layer, with artifactType, pushed with
  oras-py's upload_blob and upload_manifest (its push() cannot set artifactType) to
  nine-minds/alga-appliance-release:VERSION, then the same manifest under :CHANNEL (`oras tag`).

--skip names what is left out (bundle, chart:NAME, image:NAME) to make a closure with a hole in it.
Prints one JSON object: the digests of what was pushed and the document.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

import requests

NAMESPACE = "nine-minds"
CHARTS = {"sebastian": "0.0.1", "pgbouncer": "0.1.0", "temporal": "0.1.0", "temporal-worker": "0.1.0", "workflow-worker": "0.1.0", "email-service": "0.1.0"}
PROFILE_CHARTS = ["alga-core", "pgbouncer", "temporal", "workflow-worker", "email-service", "temporal-worker"]
IMAGES = {"alga-psa-ee": "a2cbb430", "workflow-worker": "a2cbb430", "email-service": "61e4a00e", "temporal-worker": "a2cbb430", "alga-appliance-control-plane": "cp-0.3.1"}

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
FLUX_CONFIG = "application/vnd.cncf.flux.config.v1+json"
FLUX_CONTENT = "application/vnd.cncf.flux.content.v1.tar+gzip"
RELEASE_TYPE = "application/vnd.alga.appliance.release.v1"
RELEASE_CONFIG = "application/vnd.alga.appliance.release.config.v1+json"


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Registry:
    """Pushes blobs and manifests with oras-py's own calls."""

    def __init__(self, host: str):
        import oras.client

        self.host = host
        self.client = oras.client.OrasClient(hostname=host, insecure=True)

    def container(self, repository: str, tag: str):
        return self.client.get_container(f"{self.host}/{repository}:{tag}")

    def blob(self, repository: str, data: bytes, media_type: str, work: str) -> dict:
        path = os.path.join(work, digest(data).replace(":", "-"))
        with open(path, "wb") as f:
            f.write(data)
        layer = {"mediaType": media_type, "digest": digest(data), "size": len(data)}
        response = self.client.upload_blob(path, self.container(repository, "x"), layer)
        response.raise_for_status()
        return layer

    def manifest(self, repository: str, tag: str, manifest: dict) -> str:
        response = self.client.upload_manifest(manifest, self.container(repository, tag))
        response.raise_for_status()
        raw = requests.get(f"http://{self.host}/v2/{repository}/manifests/{tag}", headers={"Accept": OCI_MANIFEST}, timeout=30)
        raw.raise_for_status()
        return digest(raw.content)


def targz(files: dict) -> bytes:
    """A reproducible tar.gz of {path: bytes}: sorted, owner 0, mode 0644, time 0, no gzip name."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for path in sorted(files):
                info = tarfile.TarInfo(path)
                info.size, info.mode, info.mtime, info.uid, info.gid = len(files[path]), 0o644, 0, 0, 0
                tar.addfile(info, io.BytesIO(files[path]))
    return out.getvalue()


# Each test chart renders its component's Deployment with the image its values name: the
# release's images through the value paths the setup engine sets, the third-party ones as upstream's
# charts leave them (a mutable :latest, a tag nobody declares).
CHART_IMAGES = {
    "sebastian": ("server.image", "ghcr.io/nine-minds/alga-psa-ee", "latest", "alga-core-sebastian"),
    "pgbouncer": ("image", "docker.io/edoburu/pgbouncer", "latest", "pgbouncer"),
    "temporal": ("image", "docker.io/temporalio/auto-setup", "1.27.2", "temporal"),
    "temporal-worker": ("image", "ghcr.io/nine-minds/temporal-worker", "latest", "temporal-worker"),
    "workflow-worker": ("image", "ghcr.io/nine-minds/workflow-worker", "latest", "workflow-worker"),
    "email-service": ("image", "ghcr.io/nine-minds/email-service", "latest", "email-service"),
}


def chart_folder(work: str, name: str, version: str) -> str:
    folder = os.path.join(work, "charts", name)
    os.makedirs(os.path.join(folder, "templates"), exist_ok=True)
    key, repository, tag, workload = CHART_IMAGES[name]
    with open(os.path.join(folder, "Chart.yaml"), "w") as f:
        f.write(f"apiVersion: v2\nname: {name}\nversion: {version}\ndescription: a test chart of alga-release's own\n")
    with open(os.path.join(folder, "values.yaml"), "w") as f:
        if key == "image":
            f.write(f"image:\n  repository: {repository}\n  tag: {tag}\n")
        else:
            f.write(f"server:\n  image:\n    repository: {repository}\n    tag: {tag}\n")
        if name == "sebastian":
            f.write(f"setup:\n  image:\n    repository: {repository}\n    tag: {tag}\n")
    init = ""
    if name == "sebastian":
        init = '      initContainers:\n        - name: setup\n          image: "{{ .Values.setup.image.repository }}:{{ .Values.setup.image.tag }}"\n'
    with open(os.path.join(folder, "templates", "deployment.yaml"), "w") as f:
        f.write(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {workload}\n  namespace: msp\nspec:\n  selector:\n    matchLabels: {{app: x}}\n"
            "  template:\n    metadata:\n      labels: {app: x}\n    spec:\n" + init + "      containers:\n        - name: main\n"
            f'          image: "{{{{ .Values.{key}.repository }}}}:{{{{ .Values.{key}.tag }}}}"\n'
        )
    return folder


def push_charts(host: str, work: str, skip: set) -> dict:
    import helm_python as helm

    pushed = {}
    for name, version in CHARTS.items():
        if f"chart:{name}" in skip:
            continue
        archive = helm.package(chart_folder(work, name, version), destination=work)
        helm.push(archive, f"oci://{host}/{NAMESPACE}/charts", plain_http=True)
        pushed[name] = version
    return pushed


def push_image(registry: Registry, repository: str, tag: str, work: str) -> str:
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode()
    layer = targz({"hello.txt": f"{repository}:{tag}\n".encode()})
    manifest = {
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": registry.blob(repository, config, IMAGE_CONFIG, work), "layers": [registry.blob(repository, layer, LAYER, work)],
    }
    return registry.manifest(repository, tag, manifest)


TIERS = {"platform": [], "core": ["alga-core", "pgbouncer"], "background": ["temporal", "workflow-worker", "email-service", "temporal-worker"]}
CHART_OF = {"alga-core": "sebastian"}


def flux_folder(version: str) -> dict:
    """The config bundle's files as upstream's flux/ folder has them (spec §4.5): base/ with the
    namespaces, the charts' OCI HelmRepository and the three tier Kustomizations, each tier's
    folder, the HelmReleases in base/releases/ taking values only from the runtime ConfigMaps, the
    status page on node:20-alpine, and profiles/ (which the appliance does not apply)."""
    def kustomization(resources):
        return ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" + "".join(f"  - {r}\n" for r in resources)).encode()

    files = {
        "base/kustomization.yaml": kustomization(["namespaces.yaml", "charts.yaml", "tiers.yaml"]),
        "base/namespaces.yaml": b"".join(
            f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {n}\n---\n".encode() for n in ["msp", "alga-system", "appliance-system"]),
        "base/charts.yaml": (
            b"apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: alga-charts\n  namespace: flux-system\n"
            b"spec:\n  type: oci\n  url: oci://ghcr.io/nine-minds/charts\n  interval: 10m\n"),
        "base/platform/kustomization.yaml": kustomization(["appliance-status.yaml"]),
        "base/platform/appliance-status.yaml": (
            b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: appliance-status\n  namespace: appliance-system\nspec:\n"
            b"  selector:\n    matchLabels: {app: status}\n  template:\n    metadata:\n      labels: {app: status}\n    spec:\n"
            b"      containers:\n        - name: status\n          image: node:20-alpine\n          command: [node, -e, \"require('http').createServer().listen(8080)\"]\n"),
    }
    tiers = []
    previous = None
    for tier, components in TIERS.items():
        depends = f"  dependsOn:\n    - name: alga-{previous}\n" if previous else ""
        tiers.append(
            f"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: alga-{tier}\n  namespace: flux-system\nspec:\n"
            f"  path: ./base/{tier}\n  interval: 10m\n  prune: true\n  wait: true\n{depends}  sourceRef:\n    kind: OCIRepository\n    name: alga-appliance\n")
        previous = tier
        if tier != "platform":
            # The tier's HelmReleases, in base/releases/, reached as a folder (kustomize loads no
            # single file from outside a kustomization's root).
            files[f"base/{tier}/kustomization.yaml"] = kustomization([f"../releases/{tier}"])
            files[f"base/releases/{tier}/kustomization.yaml"] = kustomization([f"{c}.yaml" for c in components])
        for component in components:
            chart = CHART_OF.get(component, component)
            files[f"base/releases/{tier}/{component}.yaml"] = (
                f"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: {component}\n  namespace: alga-system\nspec:\n"
                f"  interval: 10m\n  targetNamespace: msp\n  releaseName: {component}\n  chart:\n    spec:\n      chart: {chart}\n      version: {CHARTS[chart]}\n"
                f"      sourceRef:\n        kind: HelmRepository\n        name: alga-charts\n        namespace: flux-system\n"
                f"  valuesFrom:\n    - kind: ConfigMap\n      name: appliance-values-{component}\n      valuesKey: {component}.single-node.yaml\n"
            ).encode()
    files["base/tiers.yaml"] = "---\n".join(tiers).encode()
    for name in PROFILE_CHARTS:
        files[f"profiles/single-node/values/{name}.single-node.yaml"] = f"# {name} for {version}\nreplicaCount: 1\n".encode()
    return files


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--version", default="1.0.3")
    parser.add_argument("--channel", default="stable")
    parser.add_argument("--document-channel", help="the channel the document says (default --channel)")
    parser.add_argument("--skip", action="append", default=[])
    parser.add_argument("--release-as-image", action="store_true", help="push a container image where the release goes")
    parser.add_argument("--bundle-as-image", action="store_true", help="pin a container image as the config bundle")
    parser.add_argument("--hostile-bundle", action="store_true", help="a bundle layer with an entry that climbs out of its folder")
    parser.add_argument("--document-chart", action="append", default=[], help="NAME=VERSION: what the document's charts says of a chart")
    parser.add_argument("--huge-document", action="store_true", help="the release's config descriptor says 100 MiB")
    args = parser.parse_args()
    skip = set(args.skip)
    os.makedirs(args.work, exist_ok=True)
    registry = Registry(args.registry)
    out = {"images": {}}

    out["charts"] = push_charts(args.registry, args.work, skip)
    for name, tag in IMAGES.items():
        if f"image:{name}" not in skip:
            out["images"][name] = push_image(registry, f"{NAMESPACE}/{name}", tag, args.work)
    out["supportAgent"] = push_image(registry, f"{NAMESPACE}/alga-appliance-support-agent", "v1", args.work)

    files = flux_folder(args.version)
    bundle = targz({**files, "../../escaped.txt": b"x"} if args.hostile_bundle else files)
    annotations = {
        "org.opencontainers.image.source": "https://github.com/Nine-Minds/alga-psa",
        "org.opencontainers.image.revision": f"{args.version}@sha1:0123456789abcdef0123456789abcdef01234567",
        "org.opencontainers.image.created": "2026-08-22T10:00:00Z",
    }
    bundle_manifest = {
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": registry.blob(f"{NAMESPACE}/alga-appliance-config", b"{}", FLUX_CONFIG, args.work),
        "layers": [registry.blob(f"{NAMESPACE}/alga-appliance-config", bundle, FLUX_CONTENT, args.work)],
        "annotations": annotations,
    }
    config_repository = f"{NAMESPACE}/alga-appliance-config"
    if "bundle" in skip:
        out["config"] = digest(json.dumps(bundle_manifest).encode())
    elif args.bundle_as_image:
        out["config"] = push_image(registry, config_repository, args.version, args.work)
    else:
        out["config"] = registry.manifest(config_repository, args.version, bundle_manifest)

    document = {
        "schema": "alga.appliance.release/v1", "version": args.version, "channel": args.document_channel or args.channel,
        "valuesProfile": "single-node",
        "images": {
            "algaCore": IMAGES["alga-psa-ee"], "workflowWorker": IMAGES["workflow-worker"], "emailService": IMAGES["email-service"],
            "temporalWorker": IMAGES["temporal-worker"],
        },
        "controlPlane": IMAGES["alga-appliance-control-plane"],
        "config": {"repository": f"ghcr.io/{config_repository}", "tag": args.version, "digest": out["config"]},
        "charts": {**CHARTS, **dict(pair.split("=", 1) for pair in args.document_chart)},
        "profileValues": {path.split("/")[-1]: text.decode() for path, text in files.items() if path.startswith("profiles/")},
        "supportAgent": f"ghcr.io/{NAMESPACE}/alga-appliance-support-agent@{out['supportAgent']}",
    }
    body = json.dumps(document, indent=2).encode()
    release = f"{NAMESPACE}/alga-appliance-release"
    if args.release_as_image:
        out["release"] = push_image(registry, release, args.version, args.work)
    else:
        config = registry.blob(release, body, RELEASE_CONFIG, args.work)
        manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": RELEASE_TYPE, "config": config, "layers": [dict(config)]}
        if args.huge_document:
            manifest["config"] = {**config, "size": 100 << 20}
        out["release"] = registry.manifest(release, args.version, manifest)
        registry.manifest(release, args.channel, manifest)
    out["document"] = document
    json.dump(out, sys.stdout, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
