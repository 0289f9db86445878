// Runs xlwings Server's own Office.js client code under Node against a running server.
//
// Usage: node server_client.mjs <origin> <calls.json>
//   calls.json: [{"id": "SCHEDULE", "args": [[[38]], [[45964]], [[7]]]}, ...]; arguments left
//   out are passed as null, as Excel passes omitted optional arguments.
// Prints one JSON line: {"associated": [...ids], "results": [{"value": ...} | {"error": {...}}]}.
//
// Everything that talks to the server is the server's: the custom-functions code
// (/xlwings/custom-functions-code.js), its HTTP helper (/static/js/utils.js, over
// XMLHttpRequest), the date/culture helpers (utils.js) and the client configuration
// (the JSON the task pane page embeds). Only the host is stubbed: Office, Excel,
// CustomFunctions, window.location, localStorage and an XMLHttpRequest backed by
// node:http. Every request is bounded by a timeout.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";

const [origin, callsFile] = process.argv.slice(2);
const calls = JSON.parse(fs.readFileSync(callsFile, "utf8"));
const REQUEST_MS = 30000;

async function get(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_MS) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return await response.text();
}

// --- the browser pieces the client needs -------------------------------------------
class XMLHttpRequest {
  constructor() {
    this.headers = {};
    this.timeout = 0;
    this.done = false;
  }
  open(method, url) {
    this.method = method;
    this.url = new URL(url);
  }
  setRequestHeader(key, value) {
    this.headers[key] = value;
  }
  getResponseHeader(key) {
    return this.responseHeaders?.[key.toLowerCase()] ?? null;
  }
  finish(handler) {
    if (this.done) return;
    this.done = true;
    if (handler) handler();
  }
  send(body) {
    const request = http.request(
      this.url,
      { method: this.method, headers: this.headers, timeout: this.timeout || REQUEST_MS },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          this.status = response.statusCode;
          this.statusText = response.statusMessage;
          this.responseHeaders = response.headers;
          this.responseText = Buffer.concat(chunks).toString("utf8");
          this.finish(this.onload);
        });
      },
    );
    request.on("timeout", () => {
      request.destroy();
      this.finish(this.ontimeout);
    });
    request.on("error", () => this.finish(this.onerror));
    if (body != null) request.write(body);
    request.end();
  }
}

class CustomFunctionsError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const associated = {};
const storage = new Map();
class RequestContext {
  constructor() {
    this.workbook = { name: "DealDesk.xlsx", load() {} };
    this.application = {
      cultureInfo: {
        name: "en-US",
        load() {},
        datetimeFormat: { shortDatePattern: "M/d/yyyy", load() {} },
      },
    };
  }
  async sync() {}
}

Object.assign(globalThis, {
  XMLHttpRequest,
  window: { location: { origin } },
  localStorage: {
    getItem: (key) => storage.get(key) ?? null,
    setItem: (key, value) => storage.set(key, String(value)),
  },
  Office: {
    onReady(callback) {
      const info = { host: "Excel", platform: "PC" };
      if (callback) callback(info);
      return Promise.resolve(info);
    },
    context: {
      requirements: {
        // Excel 365 today: custom functions runtime 1.4 and ExcelApi 1.12 and later.
        isSetSupported: (name, version) =>
          ({ CustomFunctionsRuntime: 1.4, ExcelApi: 1.17 })[name] >= Number(version),
      },
    },
  },
  Excel: { RequestContext },
  CustomFunctions: {
    associate: (id, fn) => {
      associated[id] = fn;
    },
    Error: CustomFunctionsError,
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A" },
  },
});

// --- the server's own client code ----------------------------------------------------
const taskpane = await get(`${origin}/taskpane.html`);
const configJson = taskpane.match(/<script id="config" type="application\/json">([\s\S]*?)<\/script>/);
if (!configJson) throw new Error("the task pane page embeds no client configuration");
globalThis.config = JSON.parse(configJson[1]);

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "xlwings-client-"));
const utilsFile = path.join(folder, "utils.mjs");
fs.writeFileSync(utilsFile, await get(`${origin}/static/js/utils.js`));
const utils = await import(pathToFileURL(utilsFile).href);
globalThis.xlwings = { getCultureInfoName: utils.getCultureInfoName, getDateFormat: utils.getDateFormat };

const meta = JSON.parse(await get(`${origin}/xlwings/custom-functions-meta.json`));
const parameters = Object.fromEntries(meta.functions.map((f) => [f.id, f.parameters.length]));
vm.runInThisContext(await get(`${origin}/xlwings/custom-functions-code.js`), {
  filename: "custom-functions-code.js",
});

const results = [];
for (const call of calls) {
  const fn = associated[call.id];
  if (!fn) {
    results.push({ missing: call.id });
    continue;
  }
  const args = [...call.args];
  while (args.length < parameters[call.id]) args.push(null);
  try {
    results.push({ value: await fn(...args, { address: "Sheet1!B2" }) });
  } catch (error) {
    results.push({ error: { name: error.constructor.name, code: error.code, message: error.message } });
  }
}
fs.rmSync(folder, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ associated: Object.keys(associated).sort(), config, results }) + "\n");
