#!/usr/bin/env python3
"""Every official CCC example through the official Python SDK against fresh `ccc mock serve`s.

Each example gets its own freshly started emulator (default seed), so that no
example depends on what another one did (one deletes campaign 2569, another
describes it). Two sets of examples:

- the international site's: every example the spec carries
  (`spec/ccc/2020-02-10/actions/*`, JSON or YAML: the upstream examples,
  repaired where their text was not valid JSON); actions without one
  (documented only on the China site) get their required members with
  plausible values built from the spec's types;
- with `--cn-examples FILE`, the China site's, from the examples file tccli
  ships (`tccli/services/ccc/v20200210/examples.json` in a `pip install
  tccli`): each one's request as written there, a JSON body or a URL with
  flattened parameters (`SdkAppIds.0=...`), read with the spec's member
  types.

The request goes through the SDK's own request model (`models.<Action>Request`)
and client method when the SDK has them, otherwise through `call_json`.

Set-up (the SDK is on PyPI):

    python3 -m venv /tmp/pyccc && /tmp/pyccc/bin/pip install tencentcloud-sdk-python-ccc pyyaml
    cargo build -p ccc-cli
    /tmp/pyccc/bin/python tests/official/python_every_action.py [--ccc target/debug/ccc]

Through the Node SDK (`npm install tencentcloud-sdk-nodejs-intl-en`, which has
the international actions only), endpoint `127.0.0.1:PORT`:

    /tmp/pyccc/bin/python tests/official/python_every_action.py --node /tmp/sdk/node_modules

The same sweep through tccli (`pip install tccli`), which always speaks HTTPS:
each emulator then runs with `--tls` and tccli trusts the authority it made:

    /tmp/pyccc/bin/python tests/official/python_every_action.py --tccli /tmp/pyccc/bin/tccli

Prints one line per example and the pass counts per site (and, for the
international site, the China-only actions without examples apart); exits 1
when one fails. An example that breaks its own action's documented rules (see
`EXAMPLES_AGAINST_THE_DOCS` in tests/tests/emulator.rs and `AGAINST_THE_DOCS`
below) passes when the emulator refuses it with InvalidParameterValue.
"""

import argparse
import json
import re
import urllib.parse
import os
import pathlib
import subprocess
import tempfile
import sys
import time

from tencentcloud.ccc.v20200210 import ccc_client, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "ccc" / "2020-02-10"
SECRET_ID = "AKIDEMULATOR000000000000000000000000"
SECRET_KEY = "EMULATORSECRETKEY000000000000000"
# Examples that break a rule their action documents, each with the rule; the
# emulator refuses them with InvalidParameterValue.
AGAINST_THE_DOCS = {
    # `StartTimeStamp`: at most 180 days in the past (its window is also
    # reversed); both sites' examples.
    "DescribeTelCdr",
}


def read_entry(path):
    """A spec entry, JSON or YAML (YAML needs PyYAML: `pip install pyyaml`)."""
    if path.suffix == ".json":
        return json.loads(path.read_text())
    import yaml

    return yaml.safe_load(path.read_text())


def load(kind, name):
    for ext in ("json", "yaml", "yml"):
        path = SPEC / kind / f"{name}.{ext}"
        if path.exists():
            return read_entry(path)
    return None


def value_of(type_name, member_name, depth=0):
    """A plausible value of a spec type, for a required member."""
    now = int(time.time())
    if type_name.startswith("list<"):
        return [value_of(type_name[5:-1], member_name, depth + 1)]
    if type_name in ("int64", "uint64"):
        if member_name == "SdkAppId":
            return 1400000000
        if "Time" in member_name:
            return now if "End" in member_name else now - 3600
        return 0 if member_name in ("PageNumber", "Offset") else 1
    if type_name == "float":
        return 1.0
    if type_name == "bool":
        return False
    if type_name == "string":
        return "x"
    t = load("types", type_name)
    if t is None:
        return None
    if "scalar" in t:
        return value_of(t["type"], member_name, depth)
    if "enum" in t:
        return t["values"][0]["value"]
    if "object" in t and depth < 4:
        return {
            m["name"]: value_of(m["type"], m["name"], depth + 1)
            for m in t["members"]
            if m.get("presence") == "required"
        }
    return None


def requests_of(spec):
    """The inputs of every example of the action, or one made of its required
    members."""
    if spec.get("examples"):
        return [e["input"] for e in spec["examples"]]
    return [{
        m["name"]: value_of(m["type"], m["name"])
        for m in spec["input"]
        if m.get("presence") == "required"
    }]


def member_type(members, name):
    for m in members:
        if m["name"] == name:
            return m["type"]
    return None


def typed(type_name, text):
    """A flattened parameter's text as a value of its spec type."""
    while True:
        t = load("types", type_name)
        if t is None or "scalar" not in t and "enum" not in t:
            break
        type_name = t.get("type") or t.get("repr")
    if type_name in ("int64", "uint64"):
        return int(text)
    if type_name == "float":
        return float(text)
    if type_name == "bool":
        return text.lower() == "true"
    return text


def unflatten(members, pairs):
    """`A.0.B=v` pairs as nested JSON, typed by the spec's members."""
    out = {}
    for key, text in pairs:
        parts = key.split(".")
        node, node_members, type_name = out, members, None
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part.isdigit():
                index = int(part)
                type_name = type_name[5:-1] if type_name.startswith("list<") else type_name
                while len(node) <= index:
                    node.append(None)
                if last:
                    node[index] = typed(type_name, text)
                    break
                if node[index] is None:
                    node[index] = [] if parts[i + 1].isdigit() else {}
                node = node[index]
            else:
                type_name = member_type(node_members, part) or "string"
                if last:
                    node[part] = typed(type_name, text)
                    break
                node.setdefault(part, [] if parts[i + 1].isdigit() else {})
                node = node[part]
            base = re.sub(r"^(list<)+|>+$", "", type_name)
            t = load("types", base)
            node_members = (t or {}).get("members", [])
    return out


def china_examples(path):
    """(action, request, title) of every example in a tccli examples file."""
    actions = json.loads(pathlib.Path(path).read_text())["actions"]
    for action, examples in sorted(actions.items()):
        spec = load("actions", action)
        for example in examples:
            text = example["input"]
            if "\n\n" in text:
                body = text.split("\n\n", 1)[1]
                yield action, json.loads(body), example.get("title", "")
            else:
                # A URL with the parameters flattened, one `&k=v` a line.
                query = "".join(line.strip() for line in text.splitlines()[1:])
                pairs = [
                    (k, v)
                    for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True)
                    if not k.startswith("<")
                ]
                yield action, unflatten(spec["input"], pairs), example.get("title", "")


def start(ccc, tls=False):
    """A fresh `ccc mock serve`: its process, `host:port`, and with `tls` the
    file of the certificate authority it made for this run."""
    proc = subprocess.Popen(
        [ccc, "mock", "serve", "--addr", "127.0.0.1:0"] + (["--tls"] if tls else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    url = line.strip().rsplit(" ", 1)[-1]
    ca = None
    if tls:
        ca = proc.stdout.readline().strip().rsplit(" ", 1)[-1]
    return proc, url.removeprefix("http://").removeprefix("https://"), ca


def call_tccli(tccli, endpoint, ca, action, params):
    """One call through tccli (which always speaks HTTPS), trusting `ca`."""
    # tccli trusts only certifi's bundle (the SDK passes `certifi.where()` as
    # `verify`) and has no option for another: a `sitecustomize` on its path
    # points certifi at this run's authority, leaving tccli itself untouched.
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as request:
        json.dump(params, request)
    shim = tempfile.mkdtemp()
    with open(os.path.join(shim, "sitecustomize.py"), "w") as f:
        f.write(f"import certifi\ncertifi.where = lambda: {ca!r}\n")
    env = dict(
        os.environ,
        TENCENTCLOUD_SECRET_ID=SECRET_ID,
        TENCENTCLOUD_SECRET_KEY=SECRET_KEY,
        TENCENTCLOUD_REGION="ap-singapore",
        PYTHONPATH=shim,
        HOME=tempfile.mkdtemp(),
    )
    out = subprocess.run(
        [tccli, "ccc", action, "--cli-input-json", f"file://{request.name}", "--endpoint", endpoint],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    os.unlink(request.name)
    if out.returncode != 0:
        text = (out.stdout + out.stderr).strip()
        code = text.split("code:", 1)[1].split()[0] if "code:" in text else "?"
        raise TencentCloudSDKException(code, text[-300:])
    return json.loads(out.stdout)


def call_node(node_modules, endpoint, action, params):
    """One call through the official Node SDK (tests/official/smoke.js), with
    the endpoint as `127.0.0.1:PORT`, the form that used to fail its signature."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as cases:
        json.dump([[action, params]], cases)
    out = subprocess.run(
        ["node", str(ROOT / "tests" / "official" / "smoke.js"), endpoint],
        capture_output=True,
        text=True,
        env=dict(os.environ, NODE_PATH=node_modules, SMOKE_CASES=cases.name),
        timeout=60,
    )
    os.unlink(cases.name)
    if out.returncode != 0:
        text = (out.stdout + out.stderr).strip()
        code = text.split("FAIL", 1)[-1].split(":")[1].strip() if "FAIL" in text else "?"
        raise TencentCloudSDKException(code, text[-300:])
    return {}


def call(endpoint, action, params):
    http = HttpProfile(endpoint=endpoint, protocol="http", reqTimeout=10)
    client = ccc_client.CccClient(
        credential.Credential(SECRET_ID, SECRET_KEY), "", ClientProfile(httpProfile=http)
    )
    request_type = getattr(models, f"{action}Request", None)
    method = getattr(client, action, None)
    if request_type is not None and method is not None:
        request = request_type()
        request.from_json_string(json.dumps(params))
        return json.loads(method(request).to_json_string())
    return client.call_json(action, params)


def send(args, action, params, tls, shared):
    """Sends one request to a fresh emulator (or the shared one): whether it
    went as expected, and what happened."""
    proc, endpoint, ca = shared or start(args.ccc, tls)
    try:
        if tls:
            call_tccli(args.tccli, endpoint, ca, action, params)
        elif args.node:
            call_node(args.node, endpoint, action, params)
        else:
            call(endpoint, action, params)
        ok = action not in AGAINST_THE_DOCS
        return ok, "ok" if ok else "accepted, though its example breaks its docs"
    except TencentCloudSDKException as e:
        ok = action in AGAINST_THE_DOCS and e.code == "InvalidParameterValue"
        return ok, f"{e.code}: {e.message}"
    except Exception as e:  # the SDK failed to decode or send
        return False, f"{type(e).__name__}: {e}"
    finally:
        if shared is None:
            proc.terminate()
            proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ccc", default=str(ROOT / "target" / "debug" / "ccc"))
    parser.add_argument(
        "--node",
        metavar="NODE_MODULES",
        help="send through the official Node SDK (tencentcloud-sdk-nodejs-intl-en in this node_modules)",
    )
    parser.add_argument(
        "--tccli",
        help="send through this tccli (over HTTPS, `ccc mock serve --tls`) instead of the SDK",
    )
    parser.add_argument(
        "--cn-examples",
        metavar="EXAMPLES_JSON",
        help="also send the China site's examples (tccli/services/ccc/v20200210/examples.json)",
    )
    parser.add_argument(
        "--one-server",
        action="store_true",
        help="send every example, in name order, to one emulator instead of one each",
    )
    args = parser.parse_args()
    counts = {"international": [0, 0], "China-only actions": [0, 0], "China site": [0, 0]}
    tls = args.tccli is not None
    shared = start(args.ccc, tls) if args.one_server else None
    entries = [p for p in (SPEC / "actions").iterdir() if p.suffix in (".json", ".yaml", ".yml")]
    cases = []
    for path in sorted(entries, key=lambda p: p.stem):
        spec = read_entry(path)
        kind = "China-only actions" if spec.get("china_only") else "international"
        if args.node and spec.get("china_only"):
            # The international Node SDK has no models for these actions.
            print(f"SKIP [{kind}] {spec['action']}: not in tencentcloud-sdk-nodejs-intl-en")
            continue
        for params in requests_of(spec):
            cases.append((kind, spec["action"], params))
    if args.cn_examples:
        for action, params, _ in china_examples(args.cn_examples):
            cases.append(("China site", action, params))
    for kind, action, params in cases:
        ok, outcome = send(args, action, params, tls, shared)
        counts[kind][0] += ok
        counts[kind][1] += 1
        print(f"{'PASS' if ok else 'FAIL'} [{kind}] {action}: {outcome}")
    if shared is not None:
        shared[0].terminate()
        shared[0].wait()
    print("as expected: " + "; ".join(f"{k} {v[0]}/{v[1]}" for k, v in counts.items() if v[1]))
    print(f"of which refused because the official example breaks its own documented rules: {sorted(AGAINST_THE_DOCS)}")
    sys.exit(0 if all(v[0] == v[1] for v in counts.values()) else 1)


if __name__ == "__main__":
    main()
