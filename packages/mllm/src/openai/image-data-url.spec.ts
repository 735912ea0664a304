import { imageToDataUrl, parseDataUrl, sniffImageMime } from './image-data-url';
import { encodePng } from './png-encode';

describe('image data URLs', () => {
  it('encodes RGB pixels as PNG and round-trips through parseDataUrl', async () => {
    const rgb = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const url = await imageToDataUrl({ kind: 'rgb', width: 2, height: 1, data: rgb }, async () => new Uint8Array());
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const parsed = parseDataUrl(url)!;
    expect(parsed.mime).toBe('image/png');
    expect(parsed.bytes.equals(encodePng(2, 1, rgb))).toBe(true);
  });

  it('sends file bytes unchanged, typed by their content', async () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const seen: string[] = [];
    const url = await imageToDataUrl({ kind: 'path', path: '/img/a.bin' }, async (p) => (seen.push(p), jpeg));
    expect(seen).toEqual(['/img/a.bin']);
    expect(url).toBe(`data:image/jpeg;base64,${Buffer.from(jpeg).toString('base64')}`);
  });

  it('refuses tensors and malformed data URLs', async () => {
    await expect(imageToDataUrl({ kind: 'tensor', shape: [3, 1, 1], data: new Float32Array(3) }, async () => new Uint8Array())).rejects.toThrow(/cannot be sent/);
    expect(parseDataUrl('data:image/png;base64,@@@')).toBeUndefined();
    expect(parseDataUrl('http://example.com/a.png')).toBeUndefined();
    expect(parseDataUrl('data:image/png,rawtext')).toBeUndefined();
  });

  it('sniffs common formats', () => {
    expect(sniffImageMime(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(sniffImageMime(Buffer.from('BM...'))).toBe('image/bmp');
    expect(sniffImageMime(Buffer.from('hello'))).toBeUndefined();
  });
});
