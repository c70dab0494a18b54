#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (onnxruntime-node, CPU provider) on
// .npy inputs and writes each output as DIR/<output>.npy, with the same name
// sanitising as dsc's executables. dsc's test oracle and benchmark anchor.
//
//   node run_ort.js MODEL.onnx --input NAME=FILE.npy ... --output-dir DIR
//        [--threads N] [--repeat N]
//
// --repeat N: one warm-up run, then N timed runs; prints one line
// {"median_ms": <float>, "runs": N}.
//
//   node run_ort.js MODEL.onnx --data DIR --output-dir OUT
// runs every sample folder of a data folder (files named after the sanitised
// input names; label.npy skipped) in one process, writing OUT/<sample>/.
//
// --profile N: N runs with ORT's enableProfiling (after one warm-up run),
// then the mean time of each node's kernel, largest first, in microseconds
// (the anchor for dsc's `./model --profile`).
'use strict';
const fs = require('fs');
const path = require('path');

const ortPath = process.env.DSC_ORT_MODULES ||
    path.join(__dirname, '..', '..', 'build', 'ort', 'node_modules');
const ort = require(path.join(ortPath, 'onnxruntime-node'));

const DTYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
  '<i8': ['int64', BigInt64Array], '<i4': ['int32', Int32Array],
  '<i2': ['int16', Int16Array], '|i1': ['int8', Int8Array],
  '|u1': ['uint8', Uint8Array], '<u2': ['uint16', Uint16Array],
  '<u4': ['uint32', Uint32Array], '<u8': ['uint64', BigUint64Array],
  '|b1': ['bool', Uint8Array],
};

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${file}: Fortran order`);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1]
      .split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const [type, Ctor] = DTYPES[descr] || [];
  if (!type) throw new Error(`${file}: unsupported dtype ${descr}`);
  const offset = start + headerLen;
  const bytes = buf.subarray(offset);
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  let data = new Ctor(copy.buffer, 0, copy.length / Ctor.BYTES_PER_ELEMENT);
  if (type === 'bool') data = Uint8Array.from(data).map((v) => v !== 0);
  return new ort.Tensor(type, type === 'bool' ? Array.from(data) : data, shape);
}

function writeNpy(file, tensor) {
  const entry = Object.entries(DTYPES).find(([, [t]]) => t === tensor.type);
  if (!entry) throw new Error(`cannot write ${tensor.type}`);
  const descr = entry[0];
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1; head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  let data = tensor.data;
  if (tensor.type === 'bool') data = Uint8Array.from(data, (v) => (v ? 1 : 0));
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

async function main() {
  const args = process.argv.slice(2);
  const model = args.shift();
  const specs = [];
  let outDir = null, threads = 1, repeat = 0, dataDir = null, profile = 0;
  while (args.length) {
    const flag = args.shift();
    if (flag === '--input') {
      const spec = args.shift();
      const eq = spec.lastIndexOf('=');
      specs.push([spec.slice(0, eq), spec.slice(eq + 1)]);
    } else if (flag === '--output-dir') outDir = args.shift();
    else if (flag === '--data') dataDir = args.shift();
    else if (flag === '--threads') threads = Number(args.shift());
    else if (flag === '--repeat') repeat = Number(args.shift());
    else if (flag === '--profile') profile = Number(args.shift());
    else throw new Error(`unknown option ${flag}`);
  }
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1,
    graphOptimizationLevel: 'all', executionProviders: ['cpu'],
    // Int4/int8 weight-only matmuls (DequantizeLinear + MatMul) are fused
    // into MatMulNBits; accuracy level 0 keeps its activations in float, so
    // ORT stays an exact oracle for them.
    extra: {session: {qdq_matmulnbits_accuracy_level: '0'}},
  });
  // An input may be named as in the model or by its sanitised file name.
  const sanitize = (n) => n.replace(/[^A-Za-z0-9._-]/g, '_');
  const writeOutputs = (dir, results) => {
    fs.mkdirSync(dir, {recursive: true});
    for (const name of session.outputNames) {
      writeNpy(path.join(dir, sanitize(name) + '.npy'), results[name]);
    }
  };
  if (dataDir) {
    for (const sample of fs.readdirSync(dataDir).sort()) {
      const folder = path.join(dataDir, sample);
      if (!fs.statSync(folder).isDirectory()) continue;
      const sampleFeeds = {};
      for (const file of fs.readdirSync(folder)) {
        if (file === 'label.npy' || !file.endsWith('.npy')) continue;
        const stem = file.slice(0, -4);
        const real = session.inputNames.find((n) => sanitize(n) === stem);
        if (!real) throw new Error(`${folder}/${file} matches no input of the model`);
        sampleFeeds[real] = readNpy(path.join(folder, file));
      }
      writeOutputs(path.join(outDir, sample), await session.run(sampleFeeds));
    }
    return;
  }
  const feeds = {};
  for (const [name, file] of specs) {
    const real = session.inputNames.includes(name) ? name :
        session.inputNames.find((n) => sanitize(n) === name);
    if (!real) throw new Error(`the model has no input '${name}'`);
    feeds[real] = readNpy(file);
  }
  let results = await session.run(feeds);
  if (profile > 0) {
    const profiled = await ort.InferenceSession.create(model, {
      intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
      executionProviders: ['cpu'], enableProfiling: true,
      profileFilePrefix: path.join(require('os').tmpdir(), 'dsc-ort-profile'),
    });
    await profiled.run(feeds);  // warm-up: its events are left out below
    for (let i = 0; i < profile; ++i) await profiled.run(feeds);
    // onnxruntime-node does not return the file's name: it is the newest
    // file with the prefix.
    await profiled.endProfiling();
    const dir = require('os').tmpdir();
    const file = fs.readdirSync(dir).filter((f) => f.startsWith('dsc-ort-profile'))
        .map((f) => path.join(dir, f))
        .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    const events = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.unlinkSync(file);
    const times = new Map();
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const node = e.name.slice(0, -'_kernel_time'.length);
      if (!times.has(node)) times.set(node, []);
      times.get(node).push(e.dur);
    }
    const rows = [...times].map(([node, d]) => [d.slice(-profile).reduce((a, b) => a + b, 0) /
                                                     Math.min(d.length, profile), node]);
    rows.sort((a, b) => b[0] - a[0]);
    const total = rows.reduce((a, r) => a + r[0], 0);
    console.log(`ORT profile: mean of ${profile} runs, ${(total / 1000).toFixed(3)} ms of node kernels`);
    for (const [us, node] of rows) console.log(`${us.toFixed(1).padStart(10)} us  ${node}`);
  }
  if (repeat > 0) {
    const times = [];
    for (let i = 0; i < repeat; ++i) {
      const t0 = process.hrtime.bigint();
      results = await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const mid = times.length >> 1;
    const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
    console.log(JSON.stringify({median_ms: median, runs: repeat}));
  }
  if (outDir) {
    fs.mkdirSync(outDir, {recursive: true});
    for (const name of session.outputNames) {
      writeNpy(path.join(outDir, name.replace(/[^A-Za-z0-9._-]/g, '_') + '.npy'), results[name]);
    }
  }
}

main().catch((e) => { console.error(`run_ort: ${e.message}`); process.exit(1); });
