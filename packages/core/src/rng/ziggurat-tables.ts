/**
 * Tables of the 256-layer ziggurat for the standard normal with a 23-bit magnitude
 * (Marsaglia & Tsang 2000, "The Ziggurat Method for Generating Random Variables"; the layout
 * NumPy uses for its float32 normals). Built once at load from r and v instead of pasted
 * constants, so the construction can be read and checked.
 */

/** Right edge of the base layer; the tail beyond it is sampled separately. */
export const ZIGGURAT_R = 3.6541528853610088;
/** Area of every layer (base strip plus tail included). */
export const ZIGGURAT_V = 0.00492867323399;
/** 2^23: magnitudes are 23-bit integers. */
const M = 8388608;

export interface ZigguratTables {
  /** Acceptance thresholds on the 23-bit magnitude: below ki[i] the point is inside layer i's core. */
  ki: Int32Array;
  /** Scale from 23-bit magnitude to x for layer i, in float32 as NumPy's float tables (so x = rabs·wi rounds once). */
  wi: Float32Array;
  /** f(x_i) = exp(-x_i²/2) at each layer's right edge; fi[0] = 1. */
  fi: Float64Array;
  /** x_1, the top layer's edge; the tables close up when x_1·(1 − f(x_1)) = v, the area of every layer. */
  topEdge: number;
}

const f = (x: number): number => Math.exp(-0.5 * x * x);

/** Builds the tables; layer 255 is the widest rectangle (edge r), layer 0 the base strip with the tail. */
export function buildZigguratTables(): ZigguratTables {
  const ki = new Int32Array(256);
  const wi = new Float32Array(256);
  const fi = new Float64Array(256);
  let dn = ZIGGURAT_R;
  let tn = dn;
  const q = ZIGGURAT_V / f(dn);
  ki[0] = Math.floor((dn / q) * M);
  ki[1] = 0;
  wi[0] = q / M;
  wi[255] = dn / M;
  fi[0] = 1;
  fi[255] = f(dn);
  for (let i = 254; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIGGURAT_V / dn + f(dn)));
    ki[i + 1] = Math.floor((dn / tn) * M);
    tn = dn;
    fi[i] = f(dn);
    wi[i] = dn / M;
  }
  return { ki, wi, fi, topEdge: dn };
}

/** The tables every normal sampler shares. */
export const ZIGGURAT: ZigguratTables = buildZigguratTables();
