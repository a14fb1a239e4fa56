import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const context = { workspaceId: 'WS1', portingRequestId: 'PR1', purpose: 'porting PIN' };

/**
 * KMS as it behaves for these two calls: a data key's blob decrypts only
 * under the context it was generated with (else InvalidCiphertextException).
 */
function simulatedKms() {
  const kms = mockClient(KMSClient);
  const issued = new Map<string, { plaintext: Buffer; context: string }>();
  const calls: string[] = [];
  kms.on(GenerateDataKeyCommand).callsFake((input) => {
    calls.push('GenerateDataKey');
    expect(input).toMatchObject({ KeyId: keyArn, KeySpec: 'AES_256' });
    const plaintext = randomBytes(32);
    const blob = randomBytes(48);
    issued.set(blob.toString('base64'), { plaintext, context: JSON.stringify(input.EncryptionContext) });
    return { Plaintext: new Uint8Array(plaintext), CiphertextBlob: new Uint8Array(blob), KeyId: keyArn };
  });
  kms.on(DecryptCommand).callsFake((input) => {
    calls.push('Decrypt');
    const found = issued.get(Buffer.from(input.CiphertextBlob).toString('base64'));
    if (!found || found.context !== JSON.stringify(input.EncryptionContext)) {
      throw Object.assign(new Error('invalid'), { name: 'InvalidCiphertextException' });
    }
    return { Plaintext: new Uint8Array(found.plaintext), KeyId: keyArn };
  });
  return { kms, calls };
}

describe('the envelope with KMS (the deployed path)', () => {
  let simulated: ReturnType<typeof simulatedKms>;
  beforeAll(() => {
    process.env.SECRETS_KEY_ID = keyArn;
    simulated = simulatedKms();
  });
  afterEach(() => {
    simulated.calls.length = 0;
  });
  afterAll(() => {
    simulated.kms.restore();
    delete process.env.SECRETS_KEY_ID;
  });

  it('seals with one GenerateDataKey and opens with one Decrypt, under the same context', async () => {
    const { decryptSecret, encryptSecret } = await import('../../shared/core/envelope');
    const envelope = await encryptSecret('4821', context);
    expect(envelope.keyId).toBe(keyArn);
    expect(JSON.stringify(envelope)).not.toContain('4821');
    expect(await decryptSecret(envelope, context)).toBe('4821');
    expect(simulated.calls).toEqual(['GenerateDataKey', 'Decrypt']);
  });

  it('opens nowhere else: another request, another workspace, or a tampered seal', async () => {
    const { decryptSecret, encryptSecret } = await import('../../shared/core/envelope');
    const envelope = await encryptSecret('4821', context);
    for (const other of [
      { ...context, portingRequestId: 'PR2' },
      { ...context, workspaceId: 'WS2' },
    ]) {
      await expect(decryptSecret(envelope, other)).rejects.toThrow('does not decrypt');
    }
    const sealed = Buffer.from(envelope.sealed, 'base64url');
    sealed[sealed.length - 1] = (sealed.at(-1) ?? 0) ^ 1;
    await expect(
      decryptSecret({ ...envelope, sealed: sealed.toString('base64url') }, context),
    ).rejects.toThrow('does not decrypt');
  });

  it('answers 503 when KMS throttles or fails, and lets any other failure through', async () => {
    const { decryptSecret, encryptSecret } = await import('../../shared/core/envelope');
    const sealedEarlier = await encryptSecret('4821', context);
    simulated.kms
      .on(DecryptCommand)
      .rejects(Object.assign(new Error('busy'), { name: 'KMSInternalException' }));
    await expect(decryptSecret(sealedEarlier, context)).rejects.toMatchObject({
      code: 'ENCRYPTION_UNAVAILABLE',
    });
    simulated.kms
      .on(GenerateDataKeyCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(encryptSecret('4821', context)).rejects.toMatchObject({
      code: 'ENCRYPTION_UNAVAILABLE',
      status: 503,
    });
    simulated.kms
      .on(GenerateDataKeyCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(encryptSecret('4821', context)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('never takes the local key inside Lambda', async () => {
    const { encryptSecret } = await import('../../shared/core/envelope');
    process.env.SECRETS_KEY_ID = 'local';
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'submitPortingRequest';
    try {
      await expect(encryptSecret('4821', context)).rejects.toThrow('local server only');
    } finally {
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      process.env.SECRETS_KEY_ID = keyArn;
    }
  });
});
