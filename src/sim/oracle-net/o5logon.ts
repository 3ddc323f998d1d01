// The server half of the 12c password verifier exchange (O5LOGON with
// PBKDF2), as node-oracledb thin's client half expects it
// (lib/thin/protocol/encryptDecrypt.js updateVerifierData, auth.js):
//
// phase one  server → AUTH_VFR_DATA (salt, flag 0x4815 = 12c verifier),
//            AUTH_SESSKEY (32 random bytes AES-256-CBC encrypted, zero IV, no
//            padding, with the password hash), AUTH_PBKDF2_CSK_SALT,
//            AUTH_PBKDF2_VGEN_COUNT, AUTH_PBKDF2_SDER_COUNT
//   password key  = PBKDF2-SHA512(password, salt ‖ "AUTH_PBKDF2_SPEEDY_KEY", vgen, 64)
//   password hash = SHA-512(password key ‖ salt)[0..32)
// phase two  client → AUTH_SESSKEY (its own 32 random bytes, same cipher),
//            AUTH_PASSWORD (AES-256-CBC with the combo key of 16 random
//            bytes ‖ password, padded with n bytes of value n)
//   combo key = PBKDF2-SHA512(hex(client part ‖ server part), csk salt, sder, 32)
//            server → AUTH_SVR_RESPONSE: combo-key encryption of 16 random
//            bytes ‖ "SERVER_TO_CLIENT", which the client checks.
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';

export const VERIFIER_12C = 0x4815;
const VGEN_COUNT = 4096;
const SDER_COUNT = 3;
const ZERO_IV = Buffer.alloc(16, 0);

function aes(key: Buffer, data: Buffer, decrypt: boolean): Buffer {
  const c = decrypt ? createDecipheriv('aes-256-cbc', key, ZERO_IV) : createCipheriv('aes-256-cbc', key, ZERO_IV);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

/** What the server keeps between the two phases of one logon. */
export interface Challenge {
  /** Phase-one parameters for the client (values; AUTH_VFR_DATA carries the verifier type as its flag). */
  parameters: { key: string; value: string; flags?: number }[];
  /** Checks phase two; the combo key when the password is right. */
  verify(clientSessionKeyHex: string, encodedPasswordHex: string): { ok: true; comboKey: Buffer } | { ok: false };
}

/**
 * A phase-one challenge for a user whose password is `password`; for an
 * unknown user pass undefined — the challenge looks the same and phase two
 * fails, so the exchange does not tell which users exist.
 */
export function challenge(password: string | undefined): Challenge {
  const salt = randomBytes(16);
  const cskSalt = randomBytes(32);
  const secret = password ?? randomBytes(24).toString('hex');
  const passwordKey = pbkdf2Sync(Buffer.from(secret, 'utf8'), Buffer.concat([salt, Buffer.from('AUTH_PBKDF2_SPEEDY_KEY')]), VGEN_COUNT, 64, 'sha512');
  const passwordHash = createHash('sha512').update(passwordKey).update(salt).digest().subarray(0, 32);
  const serverPart = randomBytes(32);
  return {
    parameters: [
      { key: 'AUTH_SESSKEY', value: aes(passwordHash, serverPart, false).toString('hex').toUpperCase(), flags: 1 },
      { key: 'AUTH_VFR_DATA', value: salt.toString('hex').toUpperCase(), flags: VERIFIER_12C },
      { key: 'AUTH_PBKDF2_CSK_SALT', value: cskSalt.toString('hex').toUpperCase() },
      { key: 'AUTH_PBKDF2_VGEN_COUNT', value: String(VGEN_COUNT) },
      { key: 'AUTH_PBKDF2_SDER_COUNT', value: String(SDER_COUNT) },
    ],
    verify(clientSessionKeyHex, encodedPasswordHex) {
      try {
        const clientPart = aes(passwordHash, Buffer.from(clientSessionKeyHex, 'hex').subarray(0, 32), true);
        const mix = Buffer.from(Buffer.concat([clientPart, serverPart]).toString('hex').toUpperCase(), 'utf8');
        const comboKey = pbkdf2Sync(mix, cskSalt, SDER_COUNT, 32, 'sha512');
        const encoded = Buffer.from(encodedPasswordHex, 'hex');
        if (encoded.length < 32 || encoded.length % 16 !== 0) return { ok: false };
        const plain = aes(comboKey, encoded, true);
        const pad = plain[plain.length - 1] as number;
        if (pad < 1 || pad > 16) return { ok: false };
        const given = plain.subarray(16, plain.length - pad);
        if (password === undefined || !given.equals(Buffer.from(password, 'utf8'))) return { ok: false };
        return { ok: true, comboKey };
      } catch {
        return { ok: false };
      }
    },
  };
}

/** AUTH_SVR_RESPONSE: proves to the client that the server knew the password too. */
export function serverResponse(comboKey: Buffer): string {
  return aes(comboKey, Buffer.concat([randomBytes(16), Buffer.from('SERVER_TO_CLIENT')]), false).toString('hex').toUpperCase();
}
