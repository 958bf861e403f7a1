// In-process micro-benchmarks, e.g.
//
//   const r = await measure("verifySecondFactor (valid TOTP)", () => verifySecondFactor(...), 1_000);
//   console.log(formatMeasurement(r));
//
// Speed targets are checked here (or in bench/run.ts), never in timed tests: see bench/README.md.
import { performance } from "node:perf_hooks";
import { summarize } from "./stats";

export interface Measurement {
  name: string;
  iterations: number;
  /** Milliseconds. */
  median: number;
  /** Milliseconds (nearest-rank 99th percentile). */
  p99: number;
  /** Milliseconds. */
  mean: number;
  min: number;
  max: number;
}

export interface MeasureOptions {
  /** Untimed calls before measuring (JIT, connection pools, caches). Default: min(50, iterations / 10). */
  warmup?: number;
}

/**
 * Calls `fn` `iterations` times, one after another (each call awaited), timing each call with performance.now().
 * Returns per-call median, p99 and mean in milliseconds.
 */
export async function measure(
  name: string,
  fn: () => unknown,
  iterations = 1_000,
  options: MeasureOptions = {},
): Promise<Measurement> {
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`measure(${name}): iterations must be ≥ 1`);
  const warmup = options.warmup ?? Math.min(50, Math.floor(iterations / 10));
  for (let i = 0; i < warmup; i++) await fn();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    samples[i] = performance.now() - start;
  }
  const s = summarize(Array.from(samples));
  return { name, iterations, median: s.median, p99: s.p99, mean: s.mean, min: s.min, max: s.max };
}

/** One readable line, e.g. `verifySecondFactor: median 1.234 ms, p99 2.345 ms, mean 1.300 ms (1000 runs)`. */
export function formatMeasurement(m: Measurement): string {
  const ms = (v: number) => `${v.toFixed(3)} ms`;
  return `${m.name}: median ${ms(m.median)}, p99 ${ms(m.p99)}, mean ${ms(m.mean)} (${m.iterations} runs)`;
}
