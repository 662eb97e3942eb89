"""Drives `ccc mock serve` with the official Python SDK (tencentcloud-sdk-python).

Run (the SDK is not part of `cargo test`; install it outside the repository):

    python3 -m venv /tmp/sdk && /tmp/sdk/bin/pip install tencentcloud-sdk-python-ccc
    cargo run -p ccc-cli -- mock serve --addr 127.0.0.1:8787 &
    /tmp/sdk/bin/python tests/official/smoke.py 127.0.0.1:8787 post      # TC3, JSON body
    /tmp/sdk/bin/python tests/official/smoke.py 127.0.0.1:8787 get       # TC3, query string
    /tmp/sdk/bin/python tests/official/smoke.py 127.0.0.1:8787 HmacSHA256
    /tmp/sdk/bin/python tests/official/smoke.py 127.0.0.1:8787 HmacSHA1
    # with `ccc mock serve --tls`, which prints the file of its certificate authority:
    SMOKE_CA=/tmp/ccc-emulator-8787.pem /tmp/sdk/bin/python tests/official/smoke.py localhost:8787 post

Each action of smoke.json (shared with smoke.js) is called once through the SDK's typed client; a call
passes when the SDK returns an answer (no exception). The last line is
`N passed, M failed`; the exit code is 1 when any failed.
"""

import json
import os
import sys
import time

from tencentcloud.ccc.v20200210 import ccc_client, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

# The emulator's well-known test key pair (valid only against an emulator).
SECRET_ID = "AKIDEMULATOR000000000000000000000000"
SECRET_KEY = "EMULATORSECRETKEY000000000000000"


def main():
    endpoint, mode = sys.argv[1], sys.argv[2]
    http = HttpProfile(endpoint=endpoint, reqMethod="GET" if mode == "get" else "POST")
    # HTTPS: `SMOKE_CA=<the file \`ccc mock serve --tls\` wrote>`.
    http.scheme = "https" if os.environ.get("SMOKE_CA") else "http"
    http.certification = os.environ.get("SMOKE_CA")
    profile = ClientProfile(httpProfile=http)
    if mode in ("HmacSHA1", "HmacSHA256"):
        profile.signMethod = mode
    client = ccc_client.CccClient(credential.Credential(SECRET_ID, SECRET_KEY), "", profile)
    with open(os.path.join(os.path.dirname(__file__), "smoke.json")) as f:
        # `$RUN` makes names that must be unique differ between runs; `$HOUR_AGO`
        # and `$NOW` are Unix times (call-record windows must be recent).
        now = int(time.time())
        text = f.read().replace("$RUN", f"{mode}-{os.getpid()}")
        text = text.replace("$HOUR_AGO", str(now - 3600)).replace("$NOW", str(now))
        cases = json.loads(text)
    passed = failed = 0
    for action, params in cases:
        request = getattr(models, action + "Request")()
        request.from_json_string(json.dumps(params))
        try:
            answer = getattr(client, action)(request)
            print(f"ok   {action} {answer.RequestId}")
            passed += 1
        except TencentCloudSDKException as e:
            print(f"FAIL {action}: {e.code}: {e.message}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
