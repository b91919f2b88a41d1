#!/usr/bin/env python3
"""Fails when a name the appliance model declares is written as a string literal in the product's
Swift sources (issue 12: the gate, the renderer, the linter and the status rules read the names
from releases/appliance.json, so a literal is a second copy that can disagree). Checked: component,
workload, HelmRelease, namespace, Kustomization, bootstrap and provided-object names, and the tier
names. Not checked: the model's loader (ApplianceDeclaration.swift reads the file's member names),
the generated EmbeddedModel.swift, tests, templates, and the test-only RegistryLab modules; and
"appliance-status", which is also the name of this project's executable (its command name, its
log label, its realm). A literal inside a longer string (help text, a message) is prose, not a copy."""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIP = {os.path.join("Sources", "ReleaseModel", "EmbeddedModel.swift"), os.path.join("Sources", "ReleaseModel", "ApplianceDeclaration.swift")}
OWN_NAMES = {"appliance-status"}
SKIP_DIRS = {os.path.join("Sources", "RegistryLab"), os.path.join("Sources", "registry-lab")}


def names(model):
    found = {"platform", "core", "login", "background"}
    found.update(model["namespaces"].values())
    found.update(model["tierKustomizations"].values())
    found.update(model["bootstrap"].values())
    for c in model["components"]:
        found.update([c["name"], c["namespace"], c["workload"]["name"]])
        if "helmRelease" in c:
            found.add(c["helmRelease"])
    for o in model.get("providedByBootstrap", []):
        found.add(o["name"])
        if "namespace" in o:
            found.add(o["namespace"])
    return found


def main():
    model = json.load(open(os.path.join(ROOT, "releases", "appliance.json")))
    wanted = names(model) - OWN_NAMES
    literal = re.compile(r'(?<![\\#])"([a-z0-9][a-z0-9.-]*)"(?!#)')
    problems = []
    for folder, _, files in os.walk(os.path.join(ROOT, "Sources")):
        relative_folder = os.path.relpath(folder, ROOT)
        if any(relative_folder == d or relative_folder.startswith(d + os.sep) for d in SKIP_DIRS):
            continue
        for name in sorted(files):
            path = os.path.join(relative_folder, name)
            if not name.endswith(".swift") or path in SKIP:
                continue
            for number, line in enumerate(open(os.path.join(ROOT, path), encoding="utf-8"), 1):
                if line.lstrip().startswith("//"):
                    continue
                for match in literal.finditer(line):
                    if match.group(1) in wanted:
                        problems.append(f"{path}:{number}: \"{match.group(1)}\" is a name of releases/appliance.json; read it from the model")
    for problem in problems:
        print(problem)
    if problems:
        print(f"model literals: {len(problems)} found (see ARCHITECTURE.md, 'the appliance model')", file=sys.stderr)
        return 1
    print("model literals: none in Sources/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
