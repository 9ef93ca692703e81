export { LocalStorage, storageKeys, StorageKeyError, UploadTooLargeError, type StoredObject } from './local-storage.ts';
export { ArchiveError, readTarGz, type ArchiveLimits } from './tar-gz.ts';
