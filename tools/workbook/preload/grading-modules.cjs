"use strict";
// The Node modules a grading kernel's cells may load (besides kernel-lib): what lecture code uses for files,
// paths and formatting. Not: module, vm, inspector, worker_threads, v8, child_process, cluster, net, http(s),
// dgram, tls, repl, wasi, trace_events, async_hooks, process, domain, events (nothing that reaches the
// kernel's own machinery or starts code elsewhere).
const ALLOWED = new Set([
  "assert", "assert/strict", "buffer", "crypto", "fs", "fs/promises", "os", "path", "path/posix", "perf_hooks",
  "querystring", "readline", "string_decoder", "timers", "timers/promises", "url", "util", "zlib",
]);

function allowedBuiltin(id) {
  return ALLOWED.has(id.startsWith("node:") ? id.slice(5) : id);
}

module.exports = { ALLOWED, allowedBuiltin };
