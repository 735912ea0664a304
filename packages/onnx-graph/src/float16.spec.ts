import { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16 } from './float16';

describe('16-bit floats', () => {
  it('encodes known half-precision bit patterns', () => {
    expect(float32ToFloat16(1)).toBe(0x3c00);
    expect(float32ToFloat16(-2)).toBe(0xc000);
    expect(float32ToFloat16(65504)).toBe(0x7bff);
    expect(float32ToFloat16(70000)).toBe(0x7c00);
    expect(float32ToFloat16(2 ** -24)).toBe(0x0001);
    // 1 + 2^-11 is halfway between 1 and the next half: ties go to even (1).
    expect(float32ToFloat16(1 + 2 ** -11)).toBe(0x3c00);
    expect(float32ToFloat16(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float16ToFloat32(0x3555)).toBeCloseTo(0.333251953125, 12);
  });

  it('round-trips every finite half value', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      expect(float32ToFloat16(float16ToFloat32(h))).toBe(h === 0x8000 ? 0x8000 : h);
    }
  });

  it('rounds bfloat16 to nearest even like torch', () => {
    expect(float32ToBfloat16(1)).toBe(0x3f80);
    expect(float32ToBfloat16(Math.PI)).toBe(0x4049);
    expect(bfloat16ToFloat32(0x4049)).toBe(3.140625);
    expect(float32ToBfloat16(1 + 2 ** -8)).toBe(0x3f80);
    expect(float32ToBfloat16(1 + 3 * 2 ** -8)).toBe(0x3f82);
  });
});
