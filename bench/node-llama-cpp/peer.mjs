// Benchmark peer: llama.cpp as node-llama-cpp ships it (prebuilt CPU variants, the best one for this CPU picked at
// run time). Benchmark-only; never a runtime dependency of Longshot.
// Usage: node peer.mjs INSTALL_DIR MODEL.gguf THREADS DECODE_TOKENS REPEATS TOKENS_FILE
// TOKENS_FILE holds the prompt's token ids (comma-separated), so both runtimes see exactly the same prompt.
// Prints one "variant ..." line, then per repeat "run prefill_tps=X decode_tps=Y prompt=N decoded=M".
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";

const [installDir, modelPath, threadsArg, decodeArg, repeatsArg, tokensFile] = process.argv.slice(2);
if (!tokensFile) {
  console.error("usage: node peer.mjs INSTALL_DIR MODEL.gguf THREADS DECODE_TOKENS REPEATS TOKENS_FILE");
  process.exit(2);
}
const threads = Number(threadsArg);
const decodeTokens = Number(decodeArg);
const repeats = Number(repeatsArg);
const prompt = readFileSync(tokensFile, "utf8").trim().split(",").map(Number);
const {getLlama, LlamaLogLevel} =
    await import(pathToFileURL(join(installDir, "node_modules", "node-llama-cpp", "dist", "index.js")).href);

const llama = await getLlama({gpu: false, build: "never", maxThreads: threads, logLevel: LlamaLogLevel.warn});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({
  contextSize: prompt.length + decodeTokens + 16, batchSize: Math.max(512, prompt.length), threads, sequences: 1
});
// llama.cpp's own feature line for the CPU backend it loaded (AVX2 / AVX512 / AVX512_VNNI ...)
console.log(`variant ${llama.systemInfo.replace(/\s+/g, " ").trim()} threads ${threads}`);
const seq = context.getSequence();
const next = {generateNext: {token: true, options: {temperature: 0}}};
for (let r = 0; r < repeats; r++) {
  await seq.clearHistory();
  // one step per token, greedy, through llama.cpp's sampler; the prompt goes in as one batch
  const start = process.hrtime.bigint();
  let out = await seq.controlledEvaluate(prompt.map((t, i) => (i === prompt.length - 1 ? [t, next] : t)));
  let token = out[prompt.length - 1].next.token;
  const first = process.hrtime.bigint();
  let n = 1;
  while (n < decodeTokens) {
    out = await seq.controlledEvaluate([[token, next]]);
    token = out[0].next.token;
    n++;
  }
  const last = process.hrtime.bigint();
  const prefillTps = prompt.length / (Number(first - start) / 1e9);
  const decodeTps = (n - 1) / (Number(last - first) / 1e9);
  console.log(`run prefill_tps=${prefillTps.toFixed(2)} decode_tps=${decodeTps.toFixed(2)} prompt=${prompt.length} decoded=${n}`);
}
await context.dispose();
await model.dispose();
await llama.dispose();
