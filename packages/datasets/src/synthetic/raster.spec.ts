import { blankCanvas, fillCircle, fillConvexPolygon, fillRect, regularPolygon, type Canvas } from './raster';

const red = [200, 0, 0] as const;
const countColour = (c: Canvas, rgb: readonly number[]) => {
  let n = 0;
  for (let o = 0; o < c.data.length; o += 4) if (c.data[o] === rgb[0] && c.data[o + 1] === rgb[1] && c.data[o + 2] === rgb[2]) n++;
  return n;
};

describe('raster', () => {
  it('fills a rectangle exactly and clips at the border', () => {
    const c = blankCanvas(10, 8);
    fillRect(c, 2, 3, 4, 2, red);
    expect(countColour(c, red)).toBe(8);
    expect(Array.from(c.data.slice((3 * 10 + 2) * 4, (3 * 10 + 2) * 4 + 4))).toEqual([200, 0, 0, 255]);
    expect(Array.from(c.data.slice((3 * 10 + 6) * 4, (3 * 10 + 6) * 4 + 4))).toEqual([255, 255, 255, 255]);
    fillRect(c, 8, 6, 5, 5, [0, 0, 9]);
    expect(countColour(c, [0, 0, 9])).toBe(4);
  });

  it('fills a disc and polygons with areas close to the geometric ones', () => {
    const c = blankCanvas(64, 64);
    fillCircle(c, 32, 32, 10, red);
    expect(Math.abs(countColour(c, red) - Math.PI * 100)).toBeLessThan(12);
    const s = blankCanvas(64, 64);
    const sq = regularPolygon(32, 32, 20, 4, Math.PI / 4); // axis-aligned square of side 20·√2
    fillConvexPolygon(s, sq, red);
    expect(Math.abs(countColour(s, red) - 800)).toBeLessThan(60);
    const t = blankCanvas(64, 64);
    fillConvexPolygon(t, [...regularPolygon(32, 32, 20, 3)].reverse(), red); // winding order must not matter
    expect(Math.abs(countColour(t, red) - (3 * Math.sqrt(3) * 400) / 4)).toBeLessThan(40);
  });
});
