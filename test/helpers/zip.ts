// A tiny ZIP writer for tests (so CI needs no `zip`): stored or deflated
// entries, with knobs to build the archives an attacker would — a lying
// declared size, an encrypted flag, any entry name.
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../src/core/wallet/zip.js';

export interface ZipInput {
  name: string;
  data: Buffer | string;
  method?: 'store' | 'deflate';
  /** Sets general-purpose flag bit 0 (traditional encryption). */
  encrypted?: boolean;
  /** Overrides the uncompressed size written in the headers. */
  declaredSize?: number;
  /** Pre-deflated bytes (skips compressing `data`, whose length is then only the declared size). */
  rawDeflated?: Buffer;
}

export function buildZip(inputs: ZipInput[], opts: { comment?: string } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const input of inputs) {
    const data = Buffer.isBuffer(input.data) ? input.data : Buffer.from(input.data, 'utf8');
    const method = input.method ?? 'deflate';
    const stored = input.rawDeflated ?? (method === 'store' ? data : deflateRawSync(data, { level: 9 }));
    const name = Buffer.from(input.name, 'utf8');
    const flags = (input.encrypted ? 0x0001 : 0) | 0x0800;
    const size = input.declaredSize ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method === 'store' ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, stored);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method === 'store' ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const comment = Buffer.from(opts.comment ?? '', 'utf8');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(inputs.length, 8);
  end.writeUInt16LE(inputs.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, cd, end, comment]);
}
