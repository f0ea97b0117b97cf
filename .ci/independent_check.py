"""Generate payloads with random defects; compare connlint's verdicts and pointers with
Python's jsonschema (an independent implementation) on the same committed schema."""

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from jsonschema import FormatChecker
from jsonschema.validators import validator_for

BINARY, SCHEMA = sys.argv[1], sys.argv[2]
rng = random.Random(20261125)

GOOD = {
    "integration_type": "hubspot",
    "categories": ["crm"],
    "permissions": ["crm_contact_read"],
    "created_at": "2023-11-07T09:15:27.123Z",
    "is_paused": False,
    "auth": {"access_token": "at_FAKE0123456789abcdef", "expires_in": 3600, "emails": ["jo@example.com"]},
}
DEFECTS = [
    lambda p: p.pop(rng.choice(["integration_type", "categories", "permissions"]), None),
    lambda p: p.__setitem__("integration_type", rng.choice([42, None, ["x"], True])),
    lambda p: p.__setitem__("categories", rng.choice(["crm", ["CRM"], ["crm", 3], {}])),
    lambda p: p.__setitem__("permissions", rng.choice([["crm_contact_reed"], ["crm_user_read"], "x"])),
    lambda p: p.__setitem__("created_at", rng.choice(["yesterday", "2023-11-07 09:15", 7, "2023-02-30T00:00:00Z"])),
    lambda p: p.__setitem__("is_paused", rng.choice(["true", 0, "no"])),
    lambda p: p.__setitem__("auth", rng.choice(["Bearer FAKEabcdefghijklmnop", 5, ["x"]])),
    lambda p: p["auth"].__setitem__("expires_in", rng.choice(["3600", True, [1]])) if isinstance(p.get("auth"), dict) else None,
    lambda p: p["auth"].__setitem__("emails", rng.choice(["a@b.c", [1], {"a": 1}])) if isinstance(p.get("auth"), dict) else None,
    lambda p: p["auth"].__setitem__("expiry_date", rng.choice(["soon", "2023-13-01T00:00:00Z"])) if isinstance(p.get("auth"), dict) else None,
]

schema = json.loads(Path(SCHEMA).read_text())
# The dialect the schema declares (`$schema`), as any validator would read it.
validator = validator_for(schema)(schema, format_checker=FormatChecker())


def pointer(path):
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


with tempfile.TemporaryDirectory() as tmp:
    expected = {}
    for i in range(300):
        payload = json.loads(json.dumps(GOOD))
        for defect in rng.sample(DEFECTS, rng.choice([0, 0, 1, 1, 2, 3])):
            defect(payload)
        path = Path(tmp) / f"p{i:03}.json"
        path.write_text(json.dumps(payload, indent=rng.choice([None, 2])))
        expected[str(path)] = {pointer(e.absolute_path) for e in validator.iter_errors(payload)}
    run = subprocess.run([BINARY, "check", "--format", "json", tmp], capture_output=True, text=True)
    report = json.loads(run.stdout)
    actual = {p: set() for p in expected}
    for d in report["diagnostics"]:
        if d["code"].startswith("schema::") or d["code"] == "lint::removed-permission":
            actual[d["path"]].add(d["pointer"])
    mismatches = []
    for path, want in expected.items():
        got = actual[path]
        if bool(want) != bool(got):
            mismatches.append(f"{path}: verdict differs: python {sorted(want)} connlint {sorted(got)}")
            continue
        # Each side's error must sit at or below one of the other side's (connlint unfolds
        # anyOf to the leaf; Python reports the anyOf itself).
        covered = all(any(g == w or g.startswith(w + "/") for w in want) for g in got)
        explained = all(any(g == w or g.startswith(w + "/") for g in got) for w in want)
        if not (covered and explained):
            mismatches.append(f"{path}: pointers differ: python {sorted(want)} connlint {sorted(got)}")
    bad = sum(1 for w in expected.values() if w)
    print(f"independent check: {len(expected)} payloads, {bad} invalid per Python jsonschema, {len(mismatches)} disagreements")
    if mismatches:
        print("\n".join(mismatches[:30]))
        sys.exit(1)
