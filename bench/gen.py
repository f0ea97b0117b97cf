#!/usr/bin/env python3
"""Generates the benchmark corpora for bench/run.sh: Connection payloads, deterministic.

    gen.py files DIR COUNT [--invalid FRACTION]   COUNT pretty-printed .json files in DIR
    gen.py jsonl FILE (--lines N | --bytes B) [--invalid FRACTION] [--warn FRACTION]
                                                  one minified Connection per line

With --warn, that fraction of the valid documents has `updated_at` before `created_at`:
valid against the schema, with one `lint::timestamp-order` warning each (the shape of an
export checked against a model it does not quite match).

Valid documents pass the schema and every default lint rule (categories cover the
permissions, timestamps are ordered, secrets look like placeholders). Invalid ones carry
one or two typical defects each: a wrong type, a missing required property, an unknown
enum value, a bad date-time, `auth` as a string, and with --syntax-errors a trailing comma.
Syntax errors are off by default: ajv-cli stops at the first file that is not JSON, which
would make its times meaningless.
"""

import argparse
import json
import os
import random
import sys

CATEGORIES = {
    "crm": ["crm_company_read", "crm_contact_read", "crm_contact_write", "crm_deal_read",
            "crm_event_read", "crm_lead_read", "crm_pipeline_read"],
    "ticketing": ["ticketing_customer_read", "ticketing_ticket_read", "ticketing_ticket_write",
                  "ticketing_note_read"],
    "hris": ["hris_employee_read", "hris_employee_write", "hris_group_read"],
    "ats": ["ats_candidate_read", "ats_job_read", "ats_application_read", "ats_interview_read"],
    "martech": ["martech_list_read", "martech_member_read", "martech_member_write"],
    # Permissions of both the 2023-11-07 model and the latest, so one corpus is valid under
    # either (accounting_customer_read and accounting_payment_read went in 2024).
    "accounting": ["accounting_invoice_read", "accounting_invoice_write"],
    "uc": ["uc_call_read"],
}
INTEGRATIONS = ["salesforce", "hubspot", "zendesk", "bamboohr", "greenhouse", "mailchimp",
                "quickbooks", "ringcentral", "pipedrive", "freshdesk", "workday", "lever"]
HEX = "0123456789abcdef"


def hexid(rng, n=24):
    return "".join(rng.choice(HEX) for _ in range(n))


def timestamp(rng, year):
    return "%d-%02d-%02dT%02d:%02d:%02dZ" % (year, rng.randint(1, 12), rng.randint(1, 28),
                                            rng.randint(0, 23), rng.randint(0, 59),
                                            rng.randint(0, 59))


def valid(rng):
    integration = rng.choice(INTEGRATIONS)
    categories = rng.sample(sorted(CATEGORIES), rng.randint(1, 2))
    permissions = []
    for category in categories:
        pool = CATEGORIES[category]
        permissions += rng.sample(pool, rng.randint(1, min(3, len(pool))))
    if rng.random() < 0.3:
        permissions.append("webhook")
    doc = {
        "id": hexid(rng),
        "workspace_id": hexid(rng),
        "integration_type": integration,
        "external_xref": "customer-%d" % rng.randint(1, 10**6),
        "environment": rng.choice(["Production", "Sandbox"]),
        "is_paused": rng.random() < 0.1,
        "created_at": timestamp(rng, 2023),
        "updated_at": timestamp(rng, 2024),
        "categories": categories,
        "permissions": permissions,
        "auth": {
            "access_token": "at_FAKE" + hexid(rng, 16),
            "refresh_token": "rt_FAKE" + hexid(rng, 16),
            "expires_in": 3600,
            "expiry_date": timestamp(rng, 2025),
            "client_id": "client-FAKE-" + hexid(rng, 8),
            "name": "Jo Example %d" % rng.randint(1, 9999),
            "emails": ["jo%d@example.com" % rng.randint(1, 9999)],
        },
    }
    if rng.random() < 0.5:
        del doc["auth"]["emails"]
    return doc


DEFECTS = ["type", "required", "enum", "date", "auth"]


def invalid(rng, doc, syntax_errors):
    """Returns `doc` with defects, and whether its text must be broken (`syntax`)."""
    defects = rng.sample(DEFECTS + (["syntax"] if syntax_errors else []), rng.randint(1, 2))
    for defect in defects:
        if defect == "type":
            doc["is_paused"] = "yes"
        elif defect == "required":
            doc.pop("permissions", None)
        elif defect == "enum":
            doc["categories"] = list(doc["categories"]) + ["crn"]
        elif defect == "date":
            doc["created_at"] = "last tuesday"
        elif defect == "auth":
            doc["auth"] = "Bearer FAKE" + hexid(rng, 16)
    return doc, "syntax" in defects


def render(doc, broken, pretty):
    if pretty:
        text = json.dumps(doc, indent=2, ensure_ascii=False)
    else:
        text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False)
    if broken:
        # A trailing comma: the most common hand-edit mistake.
        text = text[:text.rindex("}")].rstrip() + ",\n}" if pretty else text[:-1] + ",}"
    return text


def files(args):
    rng = random.Random(args.seed)
    os.makedirs(args.path, exist_ok=True)
    width = len(str(args.count - 1))
    for i in range(args.count):
        doc, broken = valid(rng), False
        if rng.random() < args.invalid:
            doc, broken = invalid(rng, doc, args.syntax_errors)
        name = os.path.join(args.path, "conn-%0*d.json" % (width, i))
        with open(name, "w", encoding="utf-8") as f:
            f.write(render(doc, broken, pretty=True) + "\n")


def jsonl(args):
    rng = random.Random(args.seed)
    written = lines = 0
    with open(args.path, "w", encoding="utf-8", newline="\n") as f:
        while True:
            if args.lines is not None and lines >= args.lines:
                break
            if args.bytes is not None and written >= args.bytes:
                break
            doc, broken = valid(rng), False
            if rng.random() < args.invalid:
                doc, broken = invalid(rng, doc, args.syntax_errors)
            elif args.warn and rng.random() < args.warn:
                doc["updated_at"] = timestamp(rng, 2022)
            line = render(doc, broken, pretty=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            lines += 1
    print("%s: %d lines, %d bytes" % (args.path, lines, written), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("files")
    p.add_argument("path")
    p.add_argument("count", type=int)
    p.add_argument("--invalid", type=float, default=0.0)
    p.add_argument("--syntax-errors", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(run=files)
    p = sub.add_parser("jsonl")
    p.add_argument("path")
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--lines", type=int)
    size.add_argument("--bytes", type=int)
    p.add_argument("--invalid", type=float, default=0.0)
    p.add_argument("--warn", type=float, default=0.0)
    p.add_argument("--syntax-errors", action="store_true")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(run=jsonl)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
