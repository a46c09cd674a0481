import { CprVault } from './cpr-vault.js';

const SECRET = 'test-pseudonym-key-0123456789abcdef';

describe('CprVault', () => {
  const vault = new CprVault(SECRET);

  it('encrypts so that only the same key and patient id open it, and the number is not in the blob', () => {
    const blob = vault.encrypt('070761-4285', 'p-1');
    expect(blob.toString('latin1')).not.toContain('0707614285');
    expect(vault.decrypt(blob, 'p-1')).toBe('0707614285');
    expect(() => vault.decrypt(blob, 'p-2')).toThrow(/could not be decrypted/);
    expect(() => new CprVault('another-key-0123456789abcdef012345').decrypt(blob, 'p-1')).toThrow(/could not be decrypted/);
  });

  it('uses a fresh IV each time, and the pseudonym is the same for both spellings', () => {
    expect(vault.encrypt('0707614285', 'p-1').equals(vault.encrypt('0707614285', 'p-1'))).toBe(false);
    expect(vault.pseudonym('070761-4285')).toBe(vault.pseudonym('0707614285'));
  });

  it('never puts the number in an error', () => {
    expect(() => vault.encrypt('321299-1234', 'p-1')).toThrow(TypeError);
    try {
      vault.encrypt('321299-1234', 'p-1');
    } catch (e) {
      expect((e as Error).message).not.toContain('321299');
    }
  });
});
