/** GGUF value types, as numbered by the GGUF specification. */
export enum GgufValueType {
  Uint8 = 0,
  Int8 = 1,
  Uint16 = 2,
  Int16 = 3,
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  Uint64 = 10,
  Int64 = 11,
  Float64 = 12,
}

/** ggml tensor types we read or write. */
export enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
  BF16 = 30,
}

export type GgufScalar = number | bigint | boolean | string;

/** A metadata value with its wire type kept, so a read file can be rewritten byte-faithfully. */
export type GgufValue =
  | { type: Exclude<GgufValueType, GgufValueType.Array>; value: GgufScalar }
  | { type: GgufValueType.Array; itemType: Exclude<GgufValueType, GgufValueType.Array>; value: GgufScalar[] };

export type GgufMetadata = Map<string, GgufValue>;

export interface GgufTensorInfo {
  name: string;
  /** ggml order: dims[0] is the fastest-varying (row length). */
  dims: number[];
  type: GgmlType;
  /** Offset from the start of the tensor data section. */
  offset: number;
}

export const GGUF_MAGIC = 0x46554747; // "GGUF" little-endian
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Elements per block and bytes per block of each ggml type. */
export const GGML_BLOCK: Record<GgmlType, { elements: number; bytes: number }> = {
  [GgmlType.F32]: { elements: 1, bytes: 4 },
  [GgmlType.F16]: { elements: 1, bytes: 2 },
  [GgmlType.BF16]: { elements: 1, bytes: 2 },
  [GgmlType.Q8_0]: { elements: 32, bytes: 34 },
  [GgmlType.Q4_0]: { elements: 32, bytes: 18 },
};

export function tensorByteLength(type: GgmlType, dims: readonly number[]): number {
  const count = dims.reduce((a, b) => a * b, 1);
  const block = GGML_BLOCK[type];
  if (count % block.elements !== 0) {
    throw new RangeError(`tensor of ${count} elements is not a multiple of the ${GgmlType[type]} block (${block.elements})`);
  }
  return (count / block.elements) * block.bytes;
}

/** Shorthand constructors for metadata values. */
export const gguf = {
  string: (value: string): GgufValue => ({ type: GgufValueType.String, value }),
  u32: (value: number): GgufValue => ({ type: GgufValueType.Uint32, value }),
  i32: (value: number): GgufValue => ({ type: GgufValueType.Int32, value }),
  f32: (value: number): GgufValue => ({ type: GgufValueType.Float32, value }),
  bool: (value: boolean): GgufValue => ({ type: GgufValueType.Bool, value }),
  strings: (value: string[]): GgufValue => ({ type: GgufValueType.Array, itemType: GgufValueType.String, value }),
  i32s: (value: number[]): GgufValue => ({ type: GgufValueType.Array, itemType: GgufValueType.Int32, value }),
  f32s: (value: number[]): GgufValue => ({ type: GgufValueType.Array, itemType: GgufValueType.Float32, value }),
};
