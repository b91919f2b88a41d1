"""Print the functions of BINARY that ran in callgrind profiles, hottest first (self cost, summed
over the profiles), one mangled name a line: the symbol ordering file lld reads
(--symbol-ordering-file).

Two names callgrind gives are not symbols lld can find, and both are resolved here: a function
valgrind could not name is "0x<address>" (valgrind 3.19 leaves some of lld's output unnamed:
metadata accessors, value witnesses, merged functions, _start), named here from the binary's
symbol table, every symbol at that address; and a recursive call's level is a suffix "'2", dropped.

With --map (lld's -Map of the profiled link), functions that sit in input sections of 64 KiB or
more are listed after all others: such a section (the toolchain's prebuilt libraries keep a whole
module in one: the standard library's Swift code is one of 1.5 MB) moves as a whole, so placed among the small hot functions
it would spread them over megabytes; placed last, the small ones pack together and each large
section still comes right after them.

usage: callgrind-functions.py BINARY [--map LINK_MAP] CALLGRIND_OUT...   (BINARY: the profiled file)
"""
import bisect
import os
import re
import subprocess
import sys
from collections import defaultdict

arguments = sys.argv[1:]
binary_path = arguments.pop(0)
link_map = None
if arguments[:1] == ["--map"]:
    link_map = arguments[1]
    arguments = arguments[2:]
profiles = arguments
binary = os.path.basename(binary_path)

# The binary's functions by address: each start holds every name defined there (aliases).
names_at = defaultdict(list)
sizes = {}
listing = subprocess.run(["nm", "-S", "--defined-only", binary_path], capture_output=True, text=True, check=True).stdout
for row in listing.splitlines():
    fields = row.split()
    if len(fields) == 4 and fields[2] in "tTwW":
        start = int(fields[0], 16)
        names_at[start].append(fields[3])
        sizes[start] = max(sizes.get(start, 0), int(fields[1], 16))
starts = sorted(names_at)


def symbols(name):
    """The symbol names a callgrind function name stands for."""
    name = re.sub(r"'\d+$", "", name)
    if not name.startswith("0x"):
        return [name]
    address = int(name, 16)
    i = bisect.bisect_right(starts, address) - 1
    if i < 0 or address >= starts[i] + max(sizes[starts[i]], 1):
        return []
    return names_at[starts[i]]


# Input sections of executable output sections in the map: "VMA LMA Size Align" then the name,
# indented 8 more than an output section's and 8 less than a symbol's.
LARGE = 64 * 1024
large = []
if link_map:
    executable = False
    for row in open(link_map, errors="replace"):
        match = re.match(r"^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ (\s*)(\S.*)$", row)
        if not match:
            continue
        address, size, indent, name = int(match.group(1), 16), int(match.group(2), 16), len(match.group(3)), match.group(4)
        if indent == 0:
            executable = name.startswith(".text")
        elif indent == 8 and executable and size >= LARGE:
            large.append((address, address + size))
large.sort()
address_of = {name: start for start, names in names_at.items() for name in names}


def in_large_section(name):
    address = address_of.get(name)
    if address is None:
        return False
    i = bisect.bisect_right(large, (address, float("inf"))) - 1
    return i >= 0 and large[i][0] <= address < large[i][1]


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
merged = defaultdict(int)
for name, value in cost.items():
    for symbol in symbols(name):
        merged[symbol] += value
for name, _ in sorted(merged.items(), key=lambda item: (in_large_section(item[0]), -item[1], item[0])):
    print(name)
