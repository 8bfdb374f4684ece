"""Checks incident-wizard's exports with the ecosystem's own tools.

Usage: validate_exports.py stix|misp|thehive|thehive-case FILE [SCHEMAS_DIR]
Exit 0 when valid; otherwise the problems on stderr and exit 1.
"""
import json
import sys


def stix(path, schemas):
    import stix2
    from stix2validator import ValidationOptions, validate_string
    text = open(path, encoding="utf-8").read()
    stix2.parse(text, allow_custom=False)  # raises on custom properties, bad hashes, unknown types
    result = validate_string(text, ValidationOptions(version="2.1", schema_dir=schemas, strict=False))
    if not result.is_valid:
        for error in result.errors:
            print(error, file=sys.stderr)
        sys.exit(1)
    # The extension's schema was applied: the incident carries it.
    incident = next(o for o in json.loads(text)["objects"] if o["type"] == "incident")
    assert "extension-definition--ef765651-680c-498d-9894-99799f2fa126" in incident["extensions"]
    # Deterministic observable ids, as stix2 computes them.
    for item in json.loads(text)["objects"]:
        if item["type"] in ("file", "email-addr", "ipv4-addr", "ipv6-addr"):
            body = {k: v for k, v in item.items() if k != "id"}
            expected = stix2.parse(json.dumps(body), allow_custom=False).id
            assert item["id"] == expected, (item["id"], expected)


def misp(path):
    from pymisp import MISPEvent, MISPObject
    data = json.load(open(path, encoding="utf-8"))
    event = MISPEvent()
    event.load(data)
    assert event.info
    for item in data["Event"].get("Object", []):
        strict = MISPObject(item["name"], strict=True)  # unknown object names or relations raise
        for attribute in item["Attribute"]:
            strict.add_attribute(attribute["object_relation"], value=attribute["value"])


def thehive(path):
    import typeguard
    from thehive4py.types.alert import InputAlert
    typeguard.check_type(json.load(open(path, encoding="utf-8")), InputAlert)


def thehive_case(path):
    import typeguard
    from thehive4py.types.case import InputCase
    data = json.load(open(path, encoding="utf-8"))
    typeguard.check_type(data, InputCase)
    for task in data.get("tasks", []):
        assert isinstance(task.get("dueDate"), int) and task["dueDate"] > 1_000_000_000_000, task


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "stix":
        stix(path, sys.argv[3])
    elif kind == "misp":
        misp(path)
    elif kind == "thehive-case":
        thehive_case(path)
    else:
        thehive(path)
