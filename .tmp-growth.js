const opentracing = require('opentracing');
const { createTracerShim } = require('/work/main/dist/cjs');
const tracer = createTracerShim();
const bufferWith = (keys) => { const json = Buffer.from(JSON.stringify(Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, 'v'])))); const header = Buffer.alloc(34); header.fill(1, 2, 18); header.fill(2, 19, 27); Object.assign(header, { 18: 1, 27: 2, 28: 1, 29: 3 }); header.writeUInt32BE(json.length, 30); return Buffer.concat([header, json]); };
function growth(n, reps, trials) { const s = bufferWith(n), l = bufferWith(4*n); const t = (b) => { const st = process.hrtime.bigint(); for (let i=0;i<reps;i++) tracer.extract(opentracing.FORMAT_BINARY, { buffer: b }); return Number(process.hrtime.bigint()-st); }; t(s); t(l); let bs=Infinity, bl=Infinity; for (let i=0;i<trials;i++){ bs=Math.min(bs,t(s)); bl=Math.min(bl,t(l)); } return (bl/bs).toFixed(2); }
console.log(process.version, 'reps10', Array.from({length:6},()=>growth(100,10,7)).join(' '), '| reps100', Array.from({length:6},()=>growth(100,100,7)).join(' '), '| n50 reps100', Array.from({length:4},()=>growth(50,100,7)).join(' '));
