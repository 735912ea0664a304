/** Steps per nat of the exp table. */
export const EXP_TABLE_RESOLUTION = 1024;
/** Weights more than this many nats below the top token are treated as 0 (e^-36 ≈ 2.3e-16). */
export const EXP_CUTOFF_NATS = 36;

let table: Float64Array | undefined;

/** exp(−k / EXP_TABLE_RESOLUTION) for k in [0, EXP_CUTOFF_NATS · EXP_TABLE_RESOLUTION], built once (a constant, 300 KB). */
export function expTable(): Float64Array {
  if (!table) {
    table = new Float64Array(EXP_CUTOFF_NATS * EXP_TABLE_RESOLUTION + 1);
    for (let k = 0; k < table.length; k++) table[k] = Math.exp(-k / EXP_TABLE_RESOLUTION);
  }
  return table;
}
