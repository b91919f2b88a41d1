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


def chart_folder(work: str, name: str, version: str) -> str:
    folder = os.path.join(work, "charts", name)
    os.makedirs(os.path.join(folder, "templates"), exist_ok=True)
    with open(os.path.join(folder, "Chart.yaml"), "w") as f:
        f.write(f"apiVersion: v2\nname: {name}\nversion: {version}\ndescription: a test chart of alga-release's own\n")
    with open(os.path.join(folder, "values.yaml"), "w") as f:
        f.write(f"image:\n  repository: ghcr.io/{NAMESPACE}/{name}\n  tag: latest\n")
    with open(os.path.join(folder, "templates", "deployment.yaml"), "w") as f:
        f.write(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Chart.Name }}\nspec:\n  selector:\n    matchLabels: {app: x}\n"
            "  template:\n    metadata:\n      labels: {app: x}\n    spec:\n      containers:\n        - name: main\n"
            '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n'
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


def flux_folder(version: str) -> dict:
    """The config bundle's files: base/ (namespaces, the charts' HelmRepository) and profiles/."""
    files = {
        "base/kustomization.yaml": b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - namespaces.yaml\n",
        "base/namespaces.yaml": b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: msp\n",
    }
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
    bundle = targz(files)
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
        "charts": dict(CHARTS),
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
        out["release"] = registry.manifest(release, args.version, manifest)
        registry.manifest(release, args.channel, manifest)
    out["document"] = document
    json.dump(out, sys.stdout, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
