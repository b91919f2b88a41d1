#!/usr/bin/env python3
"""A `helm template` front on the real Helm v4 engine (PyPI helm-python-sdk: Helm's Go SDK as a C
library). There is no helm package here; `alga-release plan` runs `helm template`, and this answers
that command (and `helm version`) the way the Helm CLI does, for the install plan's tests and for
anyone without a helm binary. scripts/test installs it as `.venv-test/bin/helm`.

    helm template NAME CHART [--namespace NS] [--values FILE]... [--include-crds]
    helm version [--short]

The values files are merged as the Helm CLI merges them (maps deep-merged, anything else replaced,
later files win), then the engine coalesces them with the chart's values.yaml. The output is the
Helm CLI's: one `---` document per rendered template with its `# Source:` line, templates in path
order, NOTES.txt and partials left out, hooks included (helm template prints them too).
Exit 1 with Helm's words when the chart cannot be loaded or rendered.
"""
import sys


def usage(message: str) -> int:
    print(f"Error: {message}", file=sys.stderr)
    print("usage: helm template NAME CHART [--namespace NS] [--values FILE]... | helm version", file=sys.stderr)
    return 1


def merge(base: dict, override: dict) -> dict:
    """The Helm CLI's mergeMaps: nested maps merge, any other value replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def template(args: list) -> int:
    import helm_python as helm

    positional, namespace, values_files, include_crds = [], "default", [], False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--namespace", "-n", "--values", "-f"):
            if i + 1 >= len(args):
                return usage(f"flag needs an argument: {arg}")
            if arg in ("--namespace", "-n"):
                namespace = args[i + 1]
            else:
                values_files.append(args[i + 1])
            i += 2
            continue
        if arg.startswith("--namespace="):
            namespace = arg.split("=", 1)[1]
        elif arg.startswith("--values="):
            values_files.append(arg.split("=", 1)[1])
        elif arg == "--include-crds":
            include_crds = True
        elif arg.startswith("-"):
            return usage(f"unknown flag: {arg}")
        else:
            positional.append(arg)
        i += 1
    if len(positional) != 2:
        return usage("helm template needs NAME and CHART")
    name, chart_path = positional

    values: dict = {}
    for path in values_files:
        try:
            text = open(path, encoding="utf-8").read()
        except OSError as error:
            print(f"Error: open {path}: {error.strerror}", file=sys.stderr)
            return 1
        try:
            document = helm.values_from_yaml(text) or {}
        except helm.HelmError as error:
            print(f"Error: failed to parse {path}: {error}", file=sys.stderr)
            return 1
        if not isinstance(document, dict):
            print(f"Error: failed to parse {path}: not a map of values", file=sys.stderr)
            return 1
        values = merge(values, document)

    try:
        with helm.Chart.load(chart_path) as chart:
            rendered = chart.render(values, name=name, namespace=namespace, is_install=True)
            crds = chart.crds if include_crds else []
    except helm.HelmError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1

    out = []
    for crd in crds:
        out.append(f"---\n# Source: {crd.get('name', 'crd')}\n{crd.get('data', '').strip()}\n")
    for path in sorted(rendered):
        base = path.rsplit("/", 1)[-1]
        if base == "NOTES.txt" or base.startswith("_"):
            continue
        text = rendered[path].strip()
        if not text:
            continue
        out.append(f"---\n# Source: {path}\n{text}\n")
    sys.stdout.write("".join(out))
    return 0


def main() -> int:
    args = sys.argv[1:]
    if not args:
        return usage("no command")
    if args[0] == "version":
        import helm_python as helm

        version = helm.helm_sdk_version()
        version = version if version.startswith("v") else "v" + version
        print(version if "--short" in args else f'version.BuildInfo{{Version:"{version}", Engine:"helm-python-sdk"}}')
        return 0
    if args[0] == "template":
        return template(args[1:])
    return usage(f'unknown command "{args[0]}" (this front answers template and version)')


if __name__ == "__main__":
    sys.exit(main())
