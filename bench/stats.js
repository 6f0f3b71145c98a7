'use strict';
// Small helpers the benchmark runner (index.js) and the end-to-end run (e2e.js) share.

/** `items` rotated left by `by` places: each round starts the variants at another one. */
function rotate(items, by) {
  const offset = by % items.length;
  return [...items.slice(offset), ...items.slice(0, offset)];
}

function median(values) {
  return quantile(values, 0.5);
}

/** The q-quantile, linearly interpolated between the closest ranks. */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** A positive whole number from the environment variable `name`, else `fallback`. */
function positiveIntegerFromEnv(name, fallback) {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

module.exports = { median, positiveIntegerFromEnv, quantile, rotate };
