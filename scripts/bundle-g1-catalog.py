#!/usr/bin/env python3
"""Writes the api-agent sample's bundled catalog: the union of the api_list entries of a StableToolBench
G1 query file, each API once in order of first appearance, as one query-file entry, gzip-compressed
reproducibly (mtime 0).

    python3 scripts/bundle-g1-catalog.py ../shared/data/stabletoolbench/G1_instruction.json \
        samples/teams/api-agent/stabletoolbench-g1-instruction-apis.json.gz
"""
import gzip
import json
import sys


def main(source, target):
    with open(source, encoding="utf-8") as f:
        queries = json.load(f)
    seen, apis = set(), []
    for query in queries:
        for api in query["api_list"]:
            key = (api["tool_name"], api["api_name"])
            if key not in seen:
                seen.add(key)
                apis.append(api)
    data = json.dumps([{"api_list": apis}], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(target, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
        g.write(data)
    print(f"{len(apis)} APIs from {len(queries)} queries -> {target}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: bundle-g1-catalog.py G1_FILE.json OUT.json.gz")
    main(sys.argv[1], sys.argv[2])
