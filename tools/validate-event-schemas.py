#!/usr/bin/env python3
"""Validates event payloads against schemas/events/<Type>.v<N>.json (JSON Schema draft 2020-12, formats checked).

Usage: validate-event-schemas.py <schemas/events dir> <payload dir>
Each payload file is named <anything>--<Type>.v<N>.json. Prints one line per problem; exits 1 if any.
The LeadDomain tests run it on an example of every event type.
"""
import json
import os
import sys

from jsonschema import Draft202012Validator


def main():
    schema_dir, payload_dir = sys.argv[1], sys.argv[2]
    problems = []
    checked = 0
    for name in sorted(os.listdir(payload_dir)):
        if not name.endswith(".json"):
            continue
        schema_name = name.split("--", 1)[-1]
        schema_path = os.path.join(schema_dir, schema_name)
        if not os.path.exists(schema_path):
            problems.append(f"{name}: no schema {schema_name}")
            continue
        with open(schema_path) as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        with open(os.path.join(payload_dir, name)) as f:
            payload = json.load(f)
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        for error in sorted(validator.iter_errors(payload), key=str):
            path = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{name}: at /{path}: {error.message}")
        checked += 1
    for problem in problems:
        print(problem)
    print(f"checked {checked} payloads, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
