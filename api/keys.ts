// Key minting, hashing and lookup live with the keys' table in db/keys.ts (the seed uses them too).
export { authenticate, hashSecret, issueApiKey, keysOf, mintToken, revokeAllKeys, revokeApiKey } from '../db/keys';
