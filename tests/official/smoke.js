// Drives `ccc mock serve` with the official Node.js SDK (the international
// edition, tencentcloud-sdk-nodejs-intl-en), which signs `host` without the
// port and takes the scope's service from the endpoint's first label.
//
// Run (the SDK is not part of `cargo test`; install it outside the repository):
//
//   (cd /tmp/sdk && npm install tencentcloud-sdk-nodejs-intl-en)
//   cargo run -p ccc-cli -- mock serve --addr 127.0.0.1:8787 &
//   NODE_PATH=/tmp/sdk/node_modules node tests/official/smoke.js 127.0.0.1:8787 [POST|GET] [TC3-HMAC-SHA256|HmacSHA256|HmacSHA1]
//   NODE_PATH=/tmp/sdk/node_modules node tests/official/smoke.js localhost:8787
//
// Each action of smoke.json (shared with smoke.py) is called once; a call
// passes when the SDK returns an answer. The last line is `N passed, M failed`;
// the exit code is 1 when any failed.

const fs = require("fs");
const path = require("path");
const tencentcloud = require("tencentcloud-sdk-nodejs-intl-en");

// The emulator's well-known test key pair (valid only against an emulator).
const SECRET_ID = "AKIDEMULATOR000000000000000000000000";
const SECRET_KEY = "EMULATORSECRETKEY000000000000000";

async function main() {
  const [endpoint, method = "POST", signMethod = "TC3-HMAC-SHA256"] = process.argv.slice(2);
  const { Credential, ClientProfile, HttpProfile } = tencentcloud.common;
  const httpProfile = new HttpProfile();
  httpProfile.endpoint = endpoint;
  httpProfile.protocol = "http://";
  httpProfile.reqMethod = method;
  const profile = new ClientProfile();
  profile.signMethod = signMethod;
  profile.httpProfile = httpProfile;
  const client = new tencentcloud.ccc.v20200210.Client(
    new Credential(SECRET_ID, SECRET_KEY), "", profile);
  const models = tencentcloud.ccc.v20200210.Models;
  // `$RUN` makes names that must be unique differ between runs; `$HOUR_AGO`
  // and `$NOW` are Unix times (call-record windows must be recent).
  // SMOKE_CASES names another file of `[action, params]` pairs (the every-action
  // sweep of python_every_action.py --node writes one per action).
  const cases = process.env.SMOKE_CASES || path.join(__dirname, "smoke.json");
  const text = fs.readFileSync(cases, "utf8")
    .split("$RUN").join(`node-${endpoint.split(":")[0]}-${method}-${signMethod}-${process.pid}`)
    .split("$HOUR_AGO").join(String(Math.floor(Date.now() / 1000) - 3600))
    .split("$NOW").join(String(Math.floor(Date.now() / 1000)));
  let passed = 0, failed = 0;
  for (const [action, params] of JSON.parse(text)) {
    const request = new models[action + "Request"]();
    request.from_json_string(JSON.stringify(params));
    try {
      const answer = await new Promise((resolve, reject) =>
        client[action](request, (err, response) => (err ? reject(err) : resolve(response))));
      console.log(`ok   ${action} ${answer.RequestId}`);
      passed++;
    } catch (e) {
      console.log(`FAIL ${action}: ${e.code || ""}: ${e.message || e}`);
      failed++;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
