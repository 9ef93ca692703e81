export { LocalStorage, PART_SUFFIX, storageKeys, UploadTooLargeError, type StoredObject } from './local-storage.ts';
export { ArchiveError, unpackTarGz, type ArchiveLimits, type EntrySink } from './tar-gz.ts';
