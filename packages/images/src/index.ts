export { readArchiveEntries, type ArchiveEntry, type ArchiveKind, type ArchiveLimits } from './archive-entries.ts';
export { writeTarGz, type FileToPack } from './archive-writer.ts';
export { decodeImage, type DecodeExpectation, type ImageType, type RgbImage } from './decode.ts';
export { assertWithinLinf } from './distance.ts';
export { encodeImage } from './encode.ts';
export { decodeImageSet, numberedNames, readImageSet, type ImageSet, type ImageSetRules } from './image-set.ts';
export { imagesToTensor, inputShapeOf, type Preprocessing, type ResizeFilter } from './preprocess.ts';
