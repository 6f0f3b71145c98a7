'use strict';
// The OTLP/HTTP receiver of bench/e2e.js, run in its own process so that its work is not
// counted in the measured process's CPU time. It reads each request body, counts its bytes per
// URL path, decodes nothing and answers 200 with an empty body (an empty
// ExportTraceServiceResponse). `GET /stats` returns the counts as JSON. It prints its port on
// stdout as one JSON line and exits when its stdin closes (the parent ended).
const http = require('node:http');

const stats = {};

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(stats));
    return;
  }
  const entry = (stats[request.url] ??= { requests: 0, bytes: 0 });
  request.on('data', (chunk) => {
    entry.bytes += chunk.length;
  });
  request.on('end', () => {
    entry.requests++;
    response.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
    response.end();
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => {
  // The exporters' keep-alive sockets would hold `close` open.
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
