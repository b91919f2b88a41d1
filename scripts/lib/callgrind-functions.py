"""Print the functions of BINARY that ran in callgrind profiles, hottest first (self cost, summed
over the profiles), one mangled name a line: the symbol ordering file lld reads
(--symbol-ordering-file).

usage: callgrind-functions.py BINARY_NAME CALLGRIND_OUT...
"""
import re
import sys
from collections import defaultdict

binary, profiles = sys.argv[1], sys.argv[2:]
cost = defaultdict(int)
for profile in profiles:
    # Compressed names: "(id) name" defines an id, "(id)" reuses it. Objects, files and functions
    # are three id spaces (callgrind's format: ob/cob, fl/fi/fe/cfi/cfl, fn/cfn), so fl=(5) and
    # fn=(5) name different things.
    tables = {"object": {}, "file": {}, "function": {}}
    space = {"ob": "object", "cob": "object", "fn": "function", "cfn": "function"}
    current_object, function, after_call = None, None, False
    for line in open(profile, errors="replace"):
        line = line.rstrip("\n")
        match = re.match(r"^(ob|fn|cob|cfn|fl|fi|fe|cfi|cfl)=\((\d+)\)(?: (.*))?$", line)
        if match:
            kind, ident, name = match.groups()
            table = tables[space.get(kind, "file")]
            if name is not None:
                table[ident] = name
            value = table.get(ident)
            if kind == "ob":
                current_object = value
            elif kind == "fn":
                function = value
            continue
        if line.startswith("calls="):
            after_call = True
            continue
        if line and (line[0].isdigit() or line[0] in "+-*"):
            if after_call:  # the inclusive cost of a call, not this function's own
                after_call = False
                continue
            if function and current_object and current_object.endswith("/" + binary):
                fields = line.split()
                if len(fields) > 1:
                    cost[function] += int(fields[1])
for name, _ in sorted(cost.items(), key=lambda item: -item[1]):
    if not name.startswith("0x"):
        print(name)
