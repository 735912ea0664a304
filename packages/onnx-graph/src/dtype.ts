/** Element types the builder knows; `bfloat16` is for safetensors I/O and ONNX Cast targets. */
export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

/** TensorProto.DataType codes from onnx.proto. */
export const ONNX_DTYPE_CODE: Record<DType, number> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  float64: 11,
  bfloat16: 16,
};

/** Bytes per element. */
export const DTYPE_BYTES: Record<DType, number> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** A JS typed array holding tensor elements (16-bit floats are raw bits in Uint16Array). */
export type TensorArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;

/** Whether gradients can flow through tensors of this dtype. */
export function isFloatDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

/** The DType whose ONNX code is `code`, or undefined. */
export function dtypeFromOnnxCode(code: number): DType | undefined {
  return (Object.keys(ONNX_DTYPE_CODE) as DType[]).find((d) => ONNX_DTYPE_CODE[d] === code);
}

/** Allocates a zeroed typed array of `n` elements for `dtype`. */
export function allocTensorArray(dtype: DType, n: number): TensorArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'float16':
    case 'bfloat16':
      return new Uint16Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'uint8':
    case 'bool':
      return new Uint8Array(n);
  }
}

/** Fills a typed array of `dtype` from JS numbers (bools as 0/1). */
export function tensorArrayFromNumbers(dtype: DType, values: readonly number[]): TensorArray {
  const out = allocTensorArray(dtype, values.length);
  if (out instanceof BigInt64Array) values.forEach((v, i) => (out[i] = BigInt(Math.trunc(v))));
  else if (dtype === 'float16' || dtype === 'bfloat16') {
    throw new TypeError(`tensorArrayFromNumbers: build ${dtype} data with float32ToFloat16/float32ToBfloat16`);
  } else values.forEach((v, i) => ((out as Float64Array)[i] = v));
  return out;
}

/** The little-endian bytes of a typed array (a view, not a copy). */
export function tensorArrayBytes(arr: TensorArray): Uint8Array {
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

/** Copies little-endian bytes into a fresh typed array of `dtype`. */
export function tensorArrayFromBytes(dtype: DType, bytes: Uint8Array): TensorArray {
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  const out = allocTensorArray(dtype, n);
  tensorArrayBytes(out).set(bytes);
  return out;
}
