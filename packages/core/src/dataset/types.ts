/** A labelled image collection: one entry per identity, each with its image files. */
export interface Dataset {
  /** Short name, e.g. 'lfw' or 'att' (defaults to the folder name). */
  name: string;
  /** Absolute path of the scanned folder. */
  root: string;
  /** Identities in natural sort order; each has at least one image. */
  identities: DatasetIdentity[];
}

export interface DatasetIdentity {
  /** The identity label (the folder name). */
  name: string;
  /** Absolute image paths in natural sort order. */
  images: string[];
}

/** One image with its label, as yielded by `iterateImages`. */
export interface ImageItem {
  /** Identity name (folder name). */
  identity: string;
  /** Position of the identity in `dataset.identities` (a ready-made class label); -1 when unknown. */
  identityIndex: number;
  /** Absolute path of the image. */
  path: string;
}
