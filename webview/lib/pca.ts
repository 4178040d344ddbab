// Principal components of latent vectors by power iteration on the covariance matrix, with
// deflation for the second component. Latent sizes are small (tens of units), so a d x d
// covariance and a few hundred iterations cost nothing; no linear-algebra dependency needed.

export interface PcaResult {
  /** Unit-length principal directions, strongest first; a zero vector when the data has no variance left. */
  components: number[][];
  /** Variance along each component (its eigenvalue). */
  variances: number[];
  /** Share of the total variance each component explains (0 when the total is 0). */
  explained: number[];
  /** The input rows projected onto the components, [row][component]. */
  projected: number[][];
}

const MAX_ITERATIONS = 500;
const TOLERANCE = 1e-10;

export function covariance(rows: readonly number[][]): { mean: number[]; cov: number[][] } {
  const n = rows.length;
  const d = n > 0 ? rows[0].length : 0;
  const mean = new Array<number>(d).fill(0);
  // Sum first, divide once: adding r[j] / n n times leaves rounding error on constant data.
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  if (n < 2) return { mean, cov };
  for (const r of rows) {
    for (let i = 0; i < d; i++) {
      const di = r[i] - mean[i];
      for (let j = i; j < d; j++) cov[i][j] += (di * (r[j] - mean[j])) / (n - 1);
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[i][j] = cov[j][i];
  return { mean, cov };
}

/**
 * Dominant eigenvector of a symmetric positive semi-definite matrix. The start vector is fixed
 * (not random) so results are reproducible and tests are deterministic; it is not orthogonal to
 * any axis, which makes a zero projection on the dominant direction unlikely.
 */
export function dominantEigen(matrix: readonly number[][]): { vector: number[]; value: number } {
  const d = matrix.length;
  let v = Array.from({ length: d }, (_, i) => 1 + i / (d + 1));
  v = normalise(v);
  if (v.every((x) => x === 0)) return { vector: new Array<number>(d).fill(0), value: 0 };
  let value = 0;
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    const next = multiply(matrix, v);
    const norm = Math.hypot(...next);
    if (!(norm > 1e-300)) return { vector: new Array<number>(d).fill(0), value: 0 };
    const unit = next.map((x) => x / norm);
    const delta = Math.hypot(...unit.map((x, i) => x - v[i]));
    v = unit;
    value = norm;
    if (delta < TOLERANCE) break;
  }
  // Rayleigh quotient: exact for a converged eigenvector, and sign-independent.
  value = dot(v, multiply(matrix, v));
  return { vector: canonicalSign(v), value: Math.max(value, 0) };
}

export function pca(rows: readonly number[][], components = 2): PcaResult {
  const { mean, cov } = covariance(rows);
  const d = mean.length;
  const total = cov.reduce((s, row, i) => s + row[i], 0);
  const found: number[][] = [];
  const variances: number[] = [];
  // Variance below this is rounding noise relative to the data's magnitude (e.g. a constant unit at 0.76).
  let meanSquare = 0;
  for (const r of rows) for (const x of r) meanSquare += (x * x) / (rows.length * Math.max(d, 1));
  const noiseFloor = meanSquare * 1e-14;
  let remaining = cov.map((row) => row.slice());
  for (let k = 0; k < components; k++) {
    const { vector, value } = d > 0 ? dominantEigen(remaining) : { vector: [], value: 0 };
    // Relative cut-off: what is left after deflation is rounding noise, not a direction.
    const significant = value > Math.max(total, 0) * 1e-9 && value > noiseFloor;
    found.push(significant ? vector : new Array<number>(d).fill(0));
    variances.push(significant ? value : 0);
    if (significant) remaining = remaining.map((row, i) => row.map((x, j) => x - value * vector[i] * vector[j]));
  }
  const projected = rows.map((r) => found.map((c) => c.reduce((s, cj, j) => s + cj * (r[j] - mean[j]), 0)));
  const explained = variances.map((v) => (total > 0 ? v / total : 0));
  return { components: found, variances, explained, projected };
}

function multiply(m: readonly number[][], v: readonly number[]): number[] {
  return m.map((row) => dot(row, v));
}
function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function normalise(v: number[]): number[] {
  const n = Math.hypot(...v);
  return n > 0 ? v.map((x) => x / n) : v;
}
/** Eigenvectors are defined up to sign; make the largest entry positive so plots do not flip between epochs. */
function canonicalSign(v: number[]): number[] {
  let largest = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[largest])) largest = i;
  return v[largest] < 0 ? v.map((x) => -x) : v;
}
