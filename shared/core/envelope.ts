import { randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AppError } from './errors';
import { open, openWithKey, seal, sealWithKey } from './secrets';

/**
 * What a secret belongs to (`{workspaceId, portingRequestId}`): KMS binds the
 * data key to it and AES-GCM binds the ciphertext to it, so a ciphertext
 * copied onto another record decrypts nowhere.
 */
export type EncryptionContext = Record<string, string>;

/** A secret at rest: its data key encrypted under the master key, and the secret under the data key. */
export interface Envelope {
  /** The master key: a KMS key ARN, or `local`. */
  keyId: string;
  /** The data key, encrypted by KMS (or by the local key), base64. */
  dataKey: string;
  /** AES-256-GCM: the 12-byte IV, the ciphertext and the 16-byte tag, base64url. */
  sealed: string;
}

/** The data keys' source: KMS in AWS, a key derived from the service secret locally. */
interface DataKeys {
  generate(context: EncryptionContext): Promise<{ plaintext: Buffer; encrypted: string; keyId: string }>;
  decrypt(envelope: Envelope, context: EncryptionContext): Promise<Buffer>;
}

/** The context as one string, in a fixed order: the associated data of every AES-GCM seal. */
const canonical = (context: EncryptionContext) =>
  JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b)));

class UnreadableSecret extends Error {
  constructor() {
    super('The secret does not decrypt for this record: it was copied, altered, or its key is gone.');
    this.name = 'UnreadableSecret';
  }
}

let kms: KMSClient | undefined;
const kmsClient = () => {
  kms ??= new KMSClient({});
  return kms;
};

/** KMS's own faults and throttling: the client may retry (503), nothing was written. */
const unavailable = new Set([
  'ThrottlingException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
]);

async function callKms<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (unavailable.has((error as Error).name))
      throw new AppError('ENCRYPTION_UNAVAILABLE', undefined, { retryAfterSeconds: 1 });
    throw error;
  }
}

const kmsKeys = (keyId: string): DataKeys => ({
  async generate(context) {
    const result = await callKms(() =>
      kmsClient().send(
        new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }),
      ),
    );
    if (!result.Plaintext || !result.CiphertextBlob || !result.KeyId)
      throw new Error('KMS returned no data key');
    return {
      plaintext: Buffer.from(result.Plaintext),
      encrypted: Buffer.from(result.CiphertextBlob).toString('base64'),
      keyId: result.KeyId,
    };
  },
  async decrypt(envelope, context) {
    try {
      const result = await callKms(() =>
        kmsClient().send(
          new DecryptCommand({
            KeyId: envelope.keyId,
            CiphertextBlob: Buffer.from(envelope.dataKey, 'base64'),
            EncryptionContext: context,
          }),
        ),
      );
      if (!result.Plaintext) throw new UnreadableSecret();
      return Buffer.from(result.Plaintext);
    } catch (error) {
      // KMS's answer when the context (or the blob) is not the one the key was made for.
      if ((error as Error).name === 'InvalidCiphertextException') throw new UnreadableSecret();
      throw error;
    }
  },
});

/** No KMS runs locally: the data key is sealed, bound to the context, under a key of the service secret. */
const localPurpose = 'envelope data keys';
const localKeys: DataKeys = {
  async generate(context) {
    const plaintext = randomBytes(32);
    return {
      plaintext,
      encrypted: seal(localPurpose, canonical(context), plaintext.toString('base64')),
      keyId: 'local',
    };
  },
  async decrypt(envelope, context) {
    const opened =
      envelope.keyId === 'local' ? open(localPurpose, canonical(context), envelope.dataKey) : undefined;
    if (opened === undefined) throw new UnreadableSecret();
    return Buffer.from(opened, 'base64');
  },
};

/**
 * `SECRETS_KEY_ID`: the KMS key's ARN in AWS, `local` for the local server;
 * never a silent default, and never the local key inside Lambda.
 */
function dataKeys(): DataKeys {
  const keyId = process.env.SECRETS_KEY_ID;
  if (!keyId) throw new Error('Missing environment variable SECRETS_KEY_ID');
  if (keyId !== 'local') return kmsKeys(keyId);
  if (process.env.AWS_LAMBDA_FUNCTION_NAME)
    throw new Error('SECRETS_KEY_ID=local is for the local server only');
  return localKeys;
}

/** Encrypts a secret under a new data key: one KMS GenerateDataKey call. */
export async function encryptSecret(plaintext: string, context: EncryptionContext): Promise<Envelope> {
  const dataKey = await dataKeys().generate(context);
  try {
    return {
      keyId: dataKey.keyId,
      dataKey: dataKey.encrypted,
      sealed: sealWithKey(dataKey.plaintext, canonical(context), plaintext),
    };
  } finally {
    dataKey.plaintext.fill(0);
  }
}

/** The secret, or an error when the envelope was not made for this context: one KMS Decrypt call. */
export async function decryptSecret(envelope: Envelope, context: EncryptionContext): Promise<string> {
  const key = await dataKeys().decrypt(envelope, context);
  try {
    const secret = openWithKey(key, canonical(context), envelope.sealed);
    if (secret === undefined) throw new UnreadableSecret();
    return secret;
  } finally {
    key.fill(0);
  }
}
